// The programs every subject runs. Each CPU workload exists in JavaScript and Python with the same algorithm and the
// same sizes; the program times its own work with the language's clock and prints one JSON line
// `{"check": <checksum>, "ms": <elapsed>}`, so start-up and per-run overhead (measured separately) stay out of the
// compute comparison, and the checksum proves every subject computed the same thing.

export const HELLO = {
  javascript: 'console.log("hello")',
  python: 'print("hello")',
};

// Date.now() everywhere: quickjs-emscripten and isolated-vm contexts have no `performance`.
const JS_CLOCK = 'const __now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());\n';
const jsProgram = (body) => `${JS_CLOCK}const __t0 = __now();\n${body}\nconsole.log(JSON.stringify({ check, ms: __now() - __t0 }));\n`;
const pyProgram = (body) => `import json, time\n__t0 = time.perf_counter()\n${body}\nprint(json.dumps({"check": check, "ms": (time.perf_counter() - __t0) * 1000}))\n`;

/** name → what it does, and the program in each language. */
export const WORKLOADS = [
  {
    name: 'fib',
    what: 'recursive fib(25)',
    javascript: jsProgram('function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\nconst check = fib(25);'),
    python: pyProgram('def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\ncheck = fib(25)'),
  },
  {
    name: 'loops',
    what: '500k iterations of integer arithmetic',
    javascript: jsProgram('let check = 0;\nfor (let i = 0; i < 500000; i++) check = (check + i * i) % 1000003;'),
    python: pyProgram('check = 0\nfor i in range(500000):\n    check = (check + i * i) % 1000003'),
  },
  {
    name: 'strings',
    what: 'append 100k pieces to a string, split and re-join it',
    javascript: jsProgram(
      'let s = "";\nfor (let i = 0; i < 100000; i++) s += i.toString(16) + ",";\n'
      + 'const parts = s.split(",");\nconst joined = parts.join(";");\nconst check = joined.length + parts.length;'),
    python: pyProgram(
      'pieces = []\nfor i in range(100000):\n    pieces.append(format(i, "x") + ",")\ns = "".join(pieces)\n'
      + 'parts = s.split(",")\njoined = ";".join(parts)\ncheck = len(joined) + len(parts)'),
  },
  {
    name: 'json',
    what: 'JSON round-trip of a 2,000-record document, 5 times',
    javascript: jsProgram(
      'const doc = [];\nfor (let i = 0; i < 2000; i++) doc.push({ id: i, name: "item" + i, tags: ["a", "b", String(i % 7)], score: i % 100, ok: i % 2 === 0 });\n'
      + 'let check = 0;\nfor (let r = 0; r < 5; r++) { const text = JSON.stringify(doc); check += JSON.parse(text).length + text.length % 97; }'),
    python: pyProgram(
      'doc = [{"id": i, "name": "item" + str(i), "tags": ["a", "b", str(i % 7)], "score": i % 100, "ok": i % 2 == 0} for i in range(2000)]\n'
      + 'check = 0\nfor r in range(5):\n    text = json.dumps(doc, separators=(",", ":"))\n    check += len(json.loads(text)) + len(text) % 97'),
  },
  {
    name: 'regex',
    what: 'find and rewrite e-mail-like tokens in a 40k-word text, twice',
    javascript: jsProgram(
      'const words = [];\nfor (let i = 0; i < 40000; i++) words.push(i % 9 === 0 ? "user" + i + "@host" + (i % 13) + ".com" : "word" + (i % 101));\n'
      + 'const text = words.join(" ");\nlet check = 0;\nfor (let r = 0; r < 2; r++) {\n'
      + '  for (const m of text.matchAll(/\\b(\\w+)@(\\w+)\\.com\\b/g)) check += m[2].length;\n'
      + '  check += text.replace(/word(\\d+)/g, "w$1").length;\n}'),
    python: pyProgram(
      'import re\nwords = ["user" + str(i) + "@host" + str(i % 13) + ".com" if i % 9 == 0 else "word" + str(i % 101) for i in range(40000)]\n'
      + 'text = " ".join(words)\ncheck = 0\nfor r in range(2):\n'
      + '    for m in re.finditer(r"\\b(\\w+)@(\\w+)\\.com\\b", text):\n        check += len(m.group(2))\n'
      + '    check += len(re.sub(r"word(\\d+)", r"w\\1", text))'),
  },
  {
    name: 'sort',
    what: 'sort 100k pseudo-random numbers and 25k strings',
    javascript: jsProgram(
      'let x = 12345;\nconst nums = [];\nfor (let i = 0; i < 100000; i++) { x = (x * 1103 + 12345) % 2147483648; nums.push(x); }\n'
      + 'nums.sort((a, b) => a - b);\nconst strs = nums.slice(0, 25000).map((n) => "k" + (n % 100003));\nstrs.sort();\n'
      + 'const check = nums[1000] % 1000 + strs[777].length;'),
    python: pyProgram(
      'x = 12345\nnums = []\nfor i in range(100000):\n    x = (x * 1103 + 12345) % 2147483648\n    nums.append(x)\n'
      + 'nums.sort()\nstrs = ["k" + str(n % 100003) for n in nums[:25000]]\nstrs.sort()\n'
      + 'check = nums[1000] % 1000 + len(strs[777])'),
  },
];
