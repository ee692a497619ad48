package dev.kopi.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Small templates exercising one language feature each, rendered by kopi and by Jinja2: byte-identical. */
class JinjaSemanticsTest {
    private static final Map<String, Object> VARIABLES = Map.of(
            "messages", List.of(
                    Map.of("role", "system", "content", "  Be brief.  "),
                    Map.of("role", "user", "content", "Hi 'there' \"you\" é 😀\n"),
                    Map.of("role", "assistant", "content", "Hello!", "extra", Map.of("b", 1.5, "a", List.of(1, true)))),
            "tools", List.of(Map.of("type", "function", "function", Map.of("name", "get_weather",
                    "parameters", Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")),
                            "items", List.of("x"))))),
            "number", 7,
            "ratio", 0.1,
            "big", 12345678901234567L,
            "text", "a,b,,c",
            "empty", List.of(),
            "none", Map.of());

    static Stream<String> templates() {
        return Stream.of(
                // output of values: Python str()/repr()
                "{{ messages }}|{{ none }}|{{ [1, 2.0, 'x', none, true, (1,), (1, 2)] }}|{{ {'a': {'b': []}} }}",
                "{{ 1e20 }} {{ 1e16 }} {{ 1e15 }} {{ 0.0001 }} {{ 0.00001 }} {{ 1.5e-7 }} {{ -0.0 }} {{ 3.0 }} {{ 2**64 }}",
                "{{ ratio * 3 }} {{ 10 / 4 }} {{ 10 / 5 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ 7 % -3 }} {{ 7.5 % 2 }} {{ 2 ** -1 }}",
                "{{ number + ratio }} {{ big * big }} {{ 'ab' * 3 }} {{ [1] * 2 }} {{ number is number }} {{ true + 1 }}",
                "{{ \"it's\" }} {{ ['it\\'s', \"q\\\"\", 'tab\\t', 'nl\\n', 'é', '\\x01'] }}",
                // slicing and indexing
                "{{ messages[::-1] | map(attribute='role') | list }} {{ text[1:4] }} {{ text[::-2] }} {{ text[-3:] }} {{ text[10] }}|{{ messages[-1].role }}",
                "{{ (messages | list)[1:] | length }} {{ 'hello'[1:-1] }} {{ [1,2,3,4,5][1::2] }} {{ [1,2,3][5:] }}",
                // loops
                "{% for m in messages %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.first }}{{ loop.last }}{{ loop.length }}"
                        + "[{{ loop.previtem.role if loop.previtem is defined }}|{{ loop.nextitem.role if loop.nextitem }}]{% endfor %}",
                "{% for m in messages if m.role != 'system' %}{{ loop.index }}:{{ m.role }} {% else %}none{% endfor %}{% for x in empty %}x{% else %}empty{% endfor %}",
                "{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}={{ v }};{% endfor %}{% for k in {'x': 1} %}{{ k }}{% endfor %}",
                "{% for i in range(10) %}{% if i == 2 %}{% continue %}{% endif %}{% if i > 4 %}{% break %}{% endif %}{{ i }}{% endfor %}",
                "{% for m in messages %}{{ loop.cycle('a', 'b') }}{{ loop.changed(m.role) }}{% endfor %}",
                "{% set x = 1 %}{% for i in [1, 2] %}{{ x }}{% set x = x + i %}{{ x }}|{% endfor %}{{ x }}",
                // namespaces, set, with, macros, call blocks
                "{% set ns = namespace(count=0, found=false) %}{% for m in messages %}{% set ns.count = ns.count + 1 %}{% endfor %}{{ ns.count }}{{ ns.found }}",
                "{% if true %}{% set y = 3 %}{% endif %}{{ y }}{% with z = 5 %}{{ z }}{% endwith %}{{ z is defined }}",
                "{% set block %}  inner {{ number }}  {% endset %}[{{ block }}]{% set a, b = 1, 2 %}{{ a }}{{ b }}",
                "{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ greet('A') }}{{ greet('B', '?', 1, x=2) }}",
                "{% macro wrap() %}<{{ caller() }}>{% endmacro %}{% call wrap() %}body {{ number }}{% endcall %}",
                "{% macro rec(n) %}{{ n }}{% if n > 0 %}{{ rec(n - 1) }}{% endif %}{% endmacro %}{{ rec(5) }}",
                "{% filter upper %}shout {{ number }}{% endfilter %}",
                // whitespace control and trim/lstrip blocks
                "a\n  {% if true %}\n    b\n  {% endif %}\n  c  {{- ' d ' -}}  e\n{#- comment -#}\n f {%+ if true %}g{% endif %}\n{# c #}\nh\n",
                "  {%- for i in [1,2] -%}\n  {{ i }}\n  {%- endfor %}\n\n{% raw %}{{ not rendered }}{% endraw %}\nend\n\n",
                // filters
                "{{ messages[0].content | trim }}|{{ '  x  ' | trim('x ') }}|{{ text.split(',') }}|{{ text | replace(',', ';') }}|{{ 'x' | upper }}{{ 'ABC' | lower }}",
                "{{ messages | selectattr('role', 'equalto', 'user') | list | length }} {{ messages | rejectattr('role', 'in', ['user', 'system']) | map(attribute='role') | join(',') }}",
                "{{ [3, 1, 2] | sort }} {{ ['b', 'A', 'c'] | sort(reverse=true) }} {{ [1, 2, 2, 3] | unique | list }} {{ [4, 2, 9] | min }} {{ [4, 2, 9] | max }} {{ [1, 2] | sum }}",
                "{{ {'b': 1, 'A': 2, 'c': 0} | dictsort }} {{ {'b': 1, 'a': 2} | items | list }} {{ [1, 2] | first }} {{ [1, 2] | last }} {{ [1, 2] | reverse | list }}",
                "{{ '42' | int }} {{ '4.7' | int }} {{ 'x' | int(5) }} {{ 3.9 | int }} {{ '2.5' | float }} {{ 'x' | float }} {{ -3 | abs }} {{ 2.675 | round(2) }} {{ 2.5 | round }}",
                "{{ undefined_thing | default('dflt') }} {{ '' | default('empty', true) }} {{ none | default('n') }} {{ 0 | string }} {{ 'a b-c(d' | title }} {{ 'hello world' | capitalize }}",
                "{{ 'line1\nline2\n\nline4' | indent(2) }}|{{ 'a\nb' | indent(4, first=true) }}|{{ 'a\n\nb' | indent('> ', blank=true) }}",
                "{{ messages | length }} {{ 'héllo' | length }} {{ messages | map(attribute='role') | map('upper') | join('|') }} {{ [1, none, 0, 2] | select | list }} {{ [1, 2, 3, 4] | reject('odd') | list }}",
                "{{ 'a' | safe + '<b>' }} {{ '<' ~ ('x' | safe) }} {{ '%s and %d' % ('x', 3) }} {{ '%5.2f|%-4s|%03d' % (3.14159, 'ab', 7) }} {{ 'hi %(n)s' % {'n': 1} }}",
                "{{ '{} is {}'.format('x', 1) }} {{ '{0}{1}{0}'.format('a', 'b') }} {{ '{name}'.format(name='n') }} {{ '{:>5}|{:<4}|{:^5}|{:.2f}'.format('r', 'l', 'c', 2.5) }}",
                "{{ messages | tojson }}",
                "{{ tools | tojson(indent=4) }}|{{ {'é': 'ü', 'n': [none, true, 1.0]} | tojson(ensure_ascii=true) }}|{{ {'b': 1, 'a': [] } | tojson(sort_keys=true) }}",
                "{{ tools[0].function.parameters | tojson(separators=(',', ':')) }} {{ {} | tojson(indent=2) }} {{ 'x\"\\\\\u2028' | tojson }}",
                // tests and operators
                "{{ none is none }} {{ messages is sequence }} {{ 'x' is string }} {{ {} is mapping }} {{ [] is iterable }} {{ 1 is integer }} {{ 1.0 is float }} {{ true is boolean }} {{ undefined_thing is undefined }}",
                "{{ 3 is divisibleby 3 }} {{ 4 is even }} {{ 'abc' is lower }} {{ 2 is in [1, 2] }} {{ 'a' is equalto 'a' }} {{ 1 is sameas 1 }} {{ number is gt 3 }} {{ number is not lt 3 }}",
                "{{ 'b' in 'abc' }} {{ 'x' not in ['a'] }} {{ 'a' in {'a': 1} }} {{ 1 < 2 < 3 }} {{ 1 == 1.0 }} {{ [1, 2] == [1, 2] }} {{ 'a' < 'b' }} {{ (1, 2) < (1, 3) }} {{ none == none }}",
                "{{ 'yes' if messages else 'no' }} {{ 'x' if false }}|{{ not empty }} {{ empty or 'fallback' }} {{ messages and 'truthy' }} {{ 0 or none }} {{ '' ~ 1 ~ none ~ true }}",
                "{{ -number }} {{ +ratio }} {{ -2 ** 2 }} {{ 2 + 3 * 4 }} {{ (2 + 3) * 4 }} {{ 2 * 3 ** 2 }} {{ 10 - 2 - 3 }} {{ 2 ** 3 ** 2 }}",
                // Python methods
                "{{ '  x  '.strip() }}|{{ 'xxaxx'.lstrip('x') }}|{{ 'a.b.c'.rsplit('.', 1) }}|{{ ' a  b '.split() }}|{{ 'a b c'.split(none, 1) }}|{{ 'abc'.startswith(('x', 'a')) }}|{{ 'abc'.endswith('c') }}",
                "{{ 'Hello World'.lower() }} {{ 'hello world'.title() }} {{ 'abc'.upper() }} {{ 'aXa'.replace('a', 'b', 1) }} {{ 'banana'.find('an') }} {{ 'banana'.count('a') }} {{ 'banana'.rfind('x') }}",
                "{{ messages[2].get('role') }} {{ messages[2].get('nope', 'd') }} {{ messages[2].extra.keys() | list }} {{ messages[2].extra.values() | list }} {{ messages[2].items() | list | length }}",
                "{{ tools[0].function.parameters['items'] }} {{ tools[0].function.parameters.properties.city.type }} {{ ', '.join(['a', 'b']) }} {{ 'a\\nb\\r\\nc'.splitlines() }} {{ '12'.isdigit() }}",
                // undefined semantics
                "[{{ missing }}][{{ messages[0].missing }}][{{ missing | length }}][{{ missing is defined }}][{% for x in missing %}x{% endfor %}][{{ missing | list }}][{{ none.attr }}]",
                "{{ missing.attr }}", "{{ messages[0].missing.attr }}", "{{ missing + 1 }}", "{{ none + 1 }}", "{{ 'a' + 1 }}",
                "{{ messages.append(1) }}", "{{ messages[0].update({}) }}", "{{ raise_exception('Conversation roles must alternate') }}",
                "{{ 1 / 0 }}", "{{ range(10)[20] }}|{{ range(3) | list }} {{ range(1, 10, 3) | list }} {{ range(5, 0, -2) | list }}",
                "{{ strftime_now('%Y-%m-%d %d %b %Y %B %A %a %H:%M:%S') }}",
                "{% for m in messages %}{% for c in m.content %}{% if loop.index > 2 %}{% break %}{% endif %}{{ c }}{% endfor %}{% endfor %}",
                "{% set d = {'k': 'v', 1: 'one'} %}{{ d['k'] }}{{ d.k }}{{ d[1] }}{{ d[1.0] }}{{ d[true] }}{{ dict(a=1, b=2) }}",
                "{{ messages | map(attribute='missing', default='dflt') | list }} {{ messages | map(attribute='content') | select('string') | list | length }}"
        );
    }

    @ParameterizedTest
    @MethodSource("templates")
    void rendersLikeJinja2(String template) {
        assertThat(Parity.difference(template, VARIABLES)).as(template).isNull();
    }
}
