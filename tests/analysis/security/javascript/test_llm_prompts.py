"""Request data in an LLM system prompt (llm-prompt-injection) through the OpenAI, Anthropic,
Vercel AI SDK and LangChain JS APIs, reviewed from real diffs; request data in user-role
messages, constant prompts, table lookups and allow-listed values stay quiet. The line
ending in `// <-` is where the finding belongs."""

import pytest

from tests.analysis.security.review import review, rule_lines

EXPRESS = [
    'import express from "express";',
    "const app = express();",
]

POSITIVES = {
    "openai-system-message": [
        *EXPRESS,
        'import OpenAI from "openai";',
        "const openai = new OpenAI();",
        'app.post("/chat", async (req, res) => {',
        "  const completion = await openai.chat.completions.create({",
        '    model: "gpt-4o",',
        "    messages: [",
        "      { role: 'system', content: `You are ${req.body.persona}. Be brief.` }, // <-",
        '      { role: "user", content: req.body.message },',
        "    ],",
        "  });",
        "  res.json(completion.choices[0].message);",
        "});",
    ],
    "developer-role-as-const": [
        *EXPRESS,
        'import OpenAI from "openai";',
        "const openai = new OpenAI();",
        'app.post("/chat", async (req, res) => {',
        "  const rules = 'House rules: ' + req.query.rules;",
        '  const messages = [{ role: "developer" as const, content: rules }]; // <-',
        '  res.json(await openai.chat.completions.create({ model: "o3", messages }));',
        "});",
    ],
    "anthropic-system": [
        *EXPRESS,
        'import Anthropic from "@anthropic-ai/sdk";',
        "const client = new Anthropic();",
        'app.post("/refund", async (req, res) => {',
        "  const extra = req.body.instructions;",
        "  const msg = await client.messages.create({",
        '    model: "claude-sonnet-4-5",',
        "    max_tokens: 1024,",
        '    system: "You are a refund agent. " + extra, // <-',
        '    messages: [{ role: "user", content: req.body.text }],',
        "  });",
        "  res.json(msg);",
        "});",
    ],
    "ai-sdk-generate-text-shorthand": [
        'import { generateText } from "ai";',
        'import { openai } from "@ai-sdk/openai";',
        "export async function POST(request: Request) {",
        "  const { tone, prompt } = await request.json();",
        "  const system = `Reply in a ${tone} tone`;",
        '  const { text } = await generateText({ model: openai("gpt-4o"), system, prompt }); // <-',
        "  return Response.json({ text });",
        "}",
    ],
    "openai-responses-instructions": [
        *EXPRESS,
        'import OpenAI from "openai";',
        "const openai = new OpenAI();",
        'app.post("/ask", async (req, res) => {',
        "  const r = await openai.responses.create({",
        '    model: "gpt-4o",',
        "    instructions: `Write like ${req.body.style}`, // <-",
        '    input: "hello",',
        "  });",
        "  res.json(r.output_text);",
        "});",
    ],
    "gemini-system-instruction": [
        *EXPRESS,
        'import { GoogleGenerativeAI } from "@google/generative-ai";',
        "const genAI = new GoogleGenerativeAI(key);",
        'app.post("/ask", async (req, res) => {',
        "  const model = genAI.getGenerativeModel({",
        '    model: "gemini-2.0-flash",',
        "    systemInstruction: req.body.role, // <-",
        "  });",
        '  res.json(await model.generateContent("hi"));',
        "});",
    ],
    "langchain-system-message": [
        *EXPRESS,
        'import { HumanMessage, SystemMessage } from "@langchain/core/messages";',
        'app.post("/ask", async (req, res) => {',
        "  const messages = [",
        "    new SystemMessage(req.body.policy), // <-",
        '    new HumanMessage("What now?"),',
        "  ];",
        "  res.json(await model.invoke(messages));",
        "});",
    ],
    "langchain-from-messages": [
        *EXPRESS,
        'import { ChatPromptTemplate } from "@langchain/core/prompts";',
        'app.post("/ask", async (req, res) => {',
        "  const prompt = ChatPromptTemplate.fromMessages([",
        '    ["system", "You are " + req.query.role], // <-',
        '    ["human", "{question}"],',
        "  ]);",
        "  res.json(prompt);",
        "});",
    ],
}

NEAR_MISSES = {
    "user-text-in-the-user-message": [
        *EXPRESS,
        'import OpenAI from "openai";',
        "const openai = new OpenAI();",
        'const SYSTEM = "You are a support bot.";',
        'app.post("/chat", async (req, res) => {',
        "  const completion = await openai.chat.completions.create({",
        '    model: "gpt-4o",',
        "    messages: [",
        '      { role: "system", content: SYSTEM },',
        "      { role: 'user', content: `<user_input>${req.body.message}</user_input>` },",
        "    ],",
        "  });",
        "  res.json(completion.choices[0].message);",
        "});",
    ],
    "tone-from-a-constant-table": [
        'import { generateText } from "ai";',
        'import { openai } from "@ai-sdk/openai";',
        'const TONES = { formal: "Reply formally", casual: "Reply casually" };',
        "export async function POST(request: Request) {",
        "  const { tone, prompt } = await request.json();",
        "  const { text } = await generateText({",
        '    model: openai("gpt-4o"), system: TONES[tone], prompt,',
        "  });",
        "  return Response.json({ text });",
        "}",
    ],
    "allow-listed-persona": [
        *EXPRESS,
        'import OpenAI from "openai";',
        "const openai = new OpenAI();",
        'const PERSONAS = ["pirate", "teacher"];',
        'app.post("/chat", async (req, res) => {',
        "  const persona = req.body.persona;",
        "  if (!PERSONAS.includes(persona)) return res.status(400).end();",
        "  const r = await openai.responses.create({",
        '    model: "gpt-4o", instructions: `Talk like a ${persona}`, input: req.body.q,',
        "  });",
        "  res.json(r);",
        "});",
    ],
    "system-prompt-from-the-environment": [
        'import Anthropic from "@anthropic-ai/sdk";',
        "const client = new Anthropic();",
        "export async function answer(question: string) {",
        "  return client.messages.create({",
        '    model: "claude", max_tokens: 256, system: process.env.SYSTEM_PROMPT,',
        '    messages: [{ role: "user", content: question }],',
        "  });",
        "}",
    ],
    "system-key-on-another-api": [
        *EXPRESS,
        'app.post("/report", async (req, res) => {',
        "  res.json(await reports.create({ system: req.body.os, version: req.body.v }));",
        "});",
    ],
    "langchain-human-entry": [
        *EXPRESS,
        'import { ChatPromptTemplate } from "@langchain/core/prompts";',
        'app.post("/ask", async (req, res) => {',
        "  const prompt = ChatPromptTemplate.fromMessages([",
        '    ["system", "You are terse."],',
        '    ["human", req.query.question],',
        "  ]);",
        "  res.json(prompt);",
        "});",
    ],
}


def _marked(code: list[str]) -> int:
    return next(n for n, line in enumerate(code, 1) if line.rstrip().endswith("// <-"))


def _typescript_only(code: list[str]) -> bool:
    return any(" as const" in line or ": Request" in line for line in code)


CASES = [
    (name, f"src/chat/handler.{extension}")
    for name in sorted(POSITIVES)
    for extension in ("ts", "js")
    if extension == "ts" or not _typescript_only(POSITIVES[name])
]


@pytest.mark.parametrize(("name", "path"), CASES)
def test_request_data_in_the_system_prompt(build, name, path):
    code = POSITIVES[name]
    findings = review(build, path, code)
    assert rule_lines(findings) == [("llm-prompt-injection", _marked(code))]
    assert findings[0].cwe == "CWE-1427"


@pytest.mark.parametrize("name", sorted(NEAR_MISSES))
def test_user_content_and_constant_prompts_stay_quiet(build, name):
    assert rule_lines(review(build, "src/chat/handler.ts", NEAR_MISSES[name])) == []


def test_only_an_added_system_prompt_is_reported(build):
    code = POSITIVES["anthropic-system"]
    before = [line for line in code if "system:" not in line]
    findings = review(build, "src/refund.ts", code, before)
    assert rule_lines(findings) == [("llm-prompt-injection", _marked(code))]
    assert rule_lines(review(build, "src/refund.ts", [*code, "// done"], code)) == []
