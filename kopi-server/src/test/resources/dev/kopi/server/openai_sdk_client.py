"""Talks to kopi serve with the official OpenAI Python SDK, unchanged, and prints what it got as one JSON object.

Usage: openai_sdk_client.py BASE_URL SCRIPTED_BASE_URL API_KEY MODEL
"""
import json
import sys

import openai
from openai import OpenAI

base_url, scripted_url, api_key, model = sys.argv[1:5]
client = OpenAI(base_url=base_url, api_key=api_key, max_retries=0)
out = {"version": openai.__version__}

out["models"] = [m.id for m in client.models.list()]

messages = [{"role": "system", "content": "Anda pembantu yang berguna."},
            {"role": "user", "content": "Apa khabar hari ini?"}]
no_think = {"chat_template_kwargs": {"enable_thinking": False}}
chat = client.chat.completions.create(model=model, messages=messages, temperature=1.0, seed=7, max_tokens=12,
                                      extra_body=no_think)
out["chat"] = {"content": chat.choices[0].message.content, "finish_reason": chat.choices[0].finish_reason,
               "prompt_tokens": chat.usage.prompt_tokens, "completion_tokens": chat.usage.completion_tokens}

stream = client.chat.completions.create(model=model, messages=messages, temperature=1.0, seed=7, max_tokens=12,
                                        stream=True, stream_options={"include_usage": True}, extra_body=no_think)
pieces, finish, usage = [], None, None
for chunk in stream:
    if chunk.usage is not None:
        usage = chunk.usage.completion_tokens
    for choice in chunk.choices:
        if choice.delta.content:
            pieces.append(choice.delta.content)
        finish = choice.finish_reason or finish
out["stream"] = {"content": "".join(pieces), "chunks": len(pieces), "finish_reason": finish, "completion_tokens": usage}

completion = client.completions.create(model=model, prompt="Selamat pagi", max_tokens=3, temperature=0, logprobs=2,
                                       echo=True)
out["completion"] = {"text": completion.choices[0].text, "tokens": completion.choices[0].logprobs.tokens,
                     "token_logprobs": completion.choices[0].logprobs.token_logprobs}

try:
    client.chat.completions.create(model=model, messages=messages, temperature=5)
    out["bad_request"] = None
except openai.BadRequestError as e:
    out["bad_request"] = {"status": e.status_code, "message": e.message}
try:
    OpenAI(base_url=base_url, api_key="sk-wrong", max_retries=0).models.list()
    out["unauthorized"] = None
except openai.AuthenticationError as e:
    out["unauthorized"] = {"status": e.status_code}

# a tool call round trip against the scripted model
scripted = OpenAI(base_url=scripted_url, api_key=api_key, max_retries=0)
tools = [{"type": "function", "function": {"name": "get_weather", "description": "The weather in a city",
          "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]
ask = [{"role": "user", "content": "Bagaimana cuaca di Jakarta?"}]
first = scripted.chat.completions.create(model="scripted-qwen3", messages=ask, tools=tools, max_tokens=60)
message = first.choices[0].message
call = message.tool_calls[0]
out["tool_call"] = {"finish_reason": first.choices[0].finish_reason, "name": call.function.name,
                    "arguments": json.loads(call.function.arguments), "id": call.id, "content": message.content}

streamed_calls = {}
for chunk in scripted.chat.completions.create(model="scripted-qwen3", messages=ask, tools=tools, max_tokens=60,
                                              stream=True):
    for choice in chunk.choices:
        for delta in choice.delta.tool_calls or []:
            entry = streamed_calls.setdefault(delta.index, {"name": "", "arguments": ""})
            entry["name"] += delta.function.name or ""
            entry["arguments"] += delta.function.arguments or ""
out["streamed_tool_call"] = {"name": streamed_calls[0]["name"], "arguments": json.loads(streamed_calls[0]["arguments"])}

follow_up = ask + [message.model_dump(exclude_none=True),
                   {"role": "tool", "tool_call_id": call.id, "content": json.dumps({"temperature": 31})}]
second = scripted.chat.completions.create(model="scripted-qwen3", messages=follow_up, tools=tools, max_tokens=60)
out["round_trip"] = {"finish_reason": second.choices[0].finish_reason, "prompt_tokens": second.usage.prompt_tokens,
                     "first_prompt_tokens": first.usage.prompt_tokens}

print(json.dumps(out, ensure_ascii=False))
