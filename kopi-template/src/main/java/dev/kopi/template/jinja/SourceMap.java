package dev.kopi.template.jinja;

import java.util.Arrays;

import dev.kopi.template.TemplateSyntaxException;

/** Turns offsets in the normalised template source into 1-based line and column numbers. */
final class SourceMap {
    private final int[] lineStarts;

    SourceMap(String source) {
        int[] starts = new int[16];
        int count = 1;
        for (int i = 0; i < source.length(); i++) {
            if (source.charAt(i) == '\n') {
                if (count == starts.length) {
                    starts = Arrays.copyOf(starts, count * 2);
                }
                starts[count++] = i + 1;
            }
        }
        lineStarts = Arrays.copyOf(starts, count);
    }

    int line(int offset) {
        int at = Arrays.binarySearch(lineStarts, offset);
        return (at >= 0 ? at : -at - 2) + 1;
    }

    int column(int offset) {
        return offset - lineStarts[line(offset) - 1] + 1;
    }

    TemplateSyntaxException error(String message, int offset) {
        return new TemplateSyntaxException(message, line(offset), column(offset));
    }
}
