"""Request data in an LLM system prompt (llm-prompt-injection) through the OpenAI, Anthropic
and LangChain Python APIs; request data in user-role messages, constant prompts, table
lookups and allow-listed values stay quiet. The line marked `# <-` is the finding's line."""

import pytest

from analysis.detectors.security_catalog import SECURITY_RULES
from tests.analysis.security.python.scanning import marked_line, scan

FLASK = """
from flask import Flask, request
app = Flask(__name__)
"""

POSITIVES = {
    "openai-system-message-f-string": FLASK
    + """
from openai import OpenAI
client = OpenAI()
@app.post("/chat")
def chat():
    persona = request.json["persona"]
    reply = client.chat.completions.create(model="gpt-4o", messages=[
        {"role": "system", "content": f"You are {persona}. Answer briefly."},  # <-
        {"role": "user", "content": request.json["message"]},
    ])
    return reply.choices[0].message.content
""",
    "developer-role-built-before-the-call": FLASK
    + """
from openai import OpenAI
client = OpenAI()
@app.post("/chat")
def chat():
    rules = "Follow these house rules: " + request.form["rules"]
    messages = [{"role": "developer", "content": rules}]  # <-
    return client.chat.completions.create(model="o3", messages=messages).id
""",
    "anthropic-system-keyword": FLASK
    + """
import anthropic
client = anthropic.Anthropic()
@app.post("/chat")
def chat():
    tone = request.args.get("tone", "friendly")
    message = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=512,
        system="Answer in a " + tone + " tone.",  # <-
        messages=[{"role": "user", "content": request.args["q"]}],
    )
    return message.content[0].text
""",
    "openai-responses-instructions": FLASK
    + """
from openai import OpenAI
client = OpenAI()
@app.post("/ask")
def ask():
    style = request.json.get("style")
    return client.responses.create(
        model="gpt-4o", instructions=f"Write like {style}", input="hello"  # <-
    ).output_text
""",
    "gemini-system-instruction": FLASK
    + """
import google.generativeai as genai
@app.post("/ask")
def ask():
    model = genai.GenerativeModel("gemini-2.0-flash", system_instruction=request.json["role"])  # <-
    return model.generate_content("hi").text
""",
    "langchain-system-message": FLASK
    + """
from langchain_core.messages import HumanMessage, SystemMessage
@app.post("/ask")
def ask():
    messages = [
        SystemMessage(content="Policy: " + request.form["policy"]),  # <-
        HumanMessage(content="What now?"),
    ]
    return str(messages)
""",
    "langchain-system-tuple": FLASK
    + """
from langchain_core.prompts import ChatPromptTemplate
@app.post("/ask")
def ask():
    prompt = ChatPromptTemplate.from_messages([
        ("system", "You are " + request.form["role"]),  # <-
        ("human", "{question}"),
    ])
    return str(prompt)
""",
    "fastapi-body-through-a-helper": """
from fastapi import FastAPI
from pydantic import BaseModel
from openai import OpenAI
app = FastAPI()
client = OpenAI()
class Ask(BaseModel):
    persona: str
    question: str
def system_messages(persona):
    return [{"role": "system", "content": "Act as " + persona}]  # <-
@app.post("/ask")
async def ask(body: Ask):
    messages = system_messages(body.persona)
    return client.chat.completions.create(model="m", messages=messages).id
""",
}

NEAR_MISSES = {
    "user-text-as-user-content": FLASK
    + """
from openai import OpenAI
client = OpenAI()
SYSTEM = "You are a helpful support assistant."
@app.post("/chat")
def chat():
    reply = client.chat.completions.create(model="gpt-4o", messages=[
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": f"<user_input>{request.json['message']}</user_input>"},
    ])
    return reply.choices[0].message.content
""",
    "persona-from-a-constant-table": FLASK
    + """
import anthropic
client = anthropic.Anthropic()
TONES = {"formal": "Answer formally.", "casual": "Answer casually."}
@app.post("/chat")
def chat():
    return client.messages.create(
        model="claude", max_tokens=256, system=TONES[request.args.get("tone", "formal")],
        messages=[{"role": "user", "content": request.args["q"]}],
    ).id
""",
    "allow-listed-persona": FLASK
    + """
from openai import OpenAI
client = OpenAI()
PERSONAS = {"pirate", "teacher"}
@app.post("/chat")
def chat():
    persona = request.json["persona"]
    if persona not in PERSONAS:
        return "unknown persona", 400
    return client.responses.create(model="m", instructions=f"Talk like a {persona}",
                                   input=request.json["q"]).output_text
""",
    "system-prompt-from-the-environment": """
import os
from openai import OpenAI
client = OpenAI()
def ask(question):
    return client.chat.completions.create(model="m", messages=[
        {"role": "system", "content": os.environ["SYSTEM_PROMPT"]},
        {"role": "user", "content": question},
    ]).id
""",
    "langchain-human-tuple": FLASK
    + """
from langchain_core.prompts import ChatPromptTemplate
@app.post("/ask")
def ask():
    prompt = ChatPromptTemplate.from_messages([
        ("system", "You are terse."),
        ("human", request.form["question"]),
    ])
    return str(prompt)
""",
    "system-keyword-on-another-api": FLASK
    + """
@app.post("/report")
def report():
    return render(system=request.form["os"], version=request.form["v"])
""",
    "system-tuple-without-an-llm-library": FLASK
    + """
@app.post("/pair")
def pair():
    return str(("system", request.form["name"]))
""",
}


@pytest.mark.parametrize("name", sorted(POSITIVES))
def test_request_data_in_the_system_prompt(build, name):
    source = POSITIVES[name]
    hits = [(h.rule_id, h.line) for h in scan(build, source)]
    assert hits == [("llm-prompt-injection", marked_line(source))]


@pytest.mark.parametrize("name", sorted(NEAR_MISSES))
def test_user_content_and_constant_prompts_stay_quiet(build, name):
    assert [h.rule_id for h in scan(build, NEAR_MISSES[name])] == []


def test_detail_traces_the_request_value(build):
    hits = scan(build, POSITIVES["openai-system-message-f-string"])
    assert "request.json['persona']" in hits[0].detail
    assert "system prompt" in hits[0].detail


def test_catalog_entry():
    rule = SECURITY_RULES["llm-prompt-injection"]
    assert rule.cwe == "CWE-1427"
    assert "user" in rule.fix.lower() and "constant" in rule.fix.lower()
