// The programs every subject runs. Each CPU workload exists in JavaScript and Python with the same algorithm and the
// same sizes; the program times its own work with the language's clock and prints one JSON line
// `{"check": <checksum>, "ms": <elapsed>}`, so start-up and per-run overhead (measured separately) stay out of the
// compute comparison, and the checksum proves every subject computed the same thing.

/**
 * A warm run's latency is measured with this pause before each run: the time a caller waits for a run that finds the
 * sandbox ready, with whatever the subject does after a run (ours: putting the instance back into its recorded state,
 * a 4-5 ms memory copy) done meanwhile. Back to back, the next run competes with that work for the cores: that is a
 * rate, reported beside it (and under "throughput").
 */
export const WARM_PAUSE_MS = 20;

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

/**
 * Everyday JavaScript (issue 16): the library calls data code makes all the time, each timed inside the program like
 * WORKLOADS (JavaScript only; compared with quickjs-emscripten). Checksums are deterministic (UTC dates; Math.random
 * only counted).
 */
export const EVERYDAY = [
  {
    name: 'random',
    what: '200k calls of Math.random()',
    javascript: jsProgram('let check = 0;\nfor (let i = 0; i < 200000; i++) { const r = Math.random(); if (r >= 0 && r < 1) check++; }'),
  },
  {
    name: 'push',
    what: 'Array.prototype.push of 300k numbers, then index reads',
    javascript: jsProgram('const a = [];\nfor (let i = 0; i < 300000; i++) a.push(i * 2);\nlet check = a.length;\nfor (let i = 0; i < a.length; i += 7) check = (check + a[i]) % 1000003;'),
  },
  {
    name: 'map-set',
    what: 'Map get/set and Set add/has, 100k operations each',
    javascript: jsProgram(
      'const m = new Map();\nconst s = new Set();\n'
      + 'for (let i = 0; i < 100000; i++) { const k = "k" + (i % 5000); m.set(k, (m.get(k) || 0) + i); s.add(i % 7919); }\n'
      + 'let check = m.size + m.get("k42") % 1000;\nfor (let i = 0; i < 100000; i++) if (s.has(i)) check++;'),
  },
  {
    name: 'array-methods',
    what: 'map/filter/reduce over 100k elements, 5 times',
    javascript: jsProgram(
      'const a = Array.from({ length: 100000 }, (_, i) => i);\nlet check = 0;\n'
      + 'for (let r = 0; r < 5; r++) check += a.map((x) => x * 3).filter((x) => x % 2 === 0).reduce((sum, x) => sum + x, 0) % 1000003;'),
  },
  {
    name: 'comparator-sort',
    what: 'sort 50k objects with a two-key comparator',
    javascript: jsProgram(
      'let x = 1;\nconst rows = [];\nfor (let i = 0; i < 50000; i++) { x = (x * 1103 + 12345) % 2147483648; rows.push({ id: i, score: x % 10007 }); }\n'
      + 'rows.sort((a, b) => a.score - b.score || a.id - b.id);\nconst check = rows[100].id + rows[49000].score;'),
  },
  {
    name: 'template-strings',
    what: '100k template literals with interpolations',
    javascript: jsProgram('let check = 0;\nfor (let i = 0; i < 100000; i++) { const s = `item-${i}: ${i % 7} of ${"x".repeat(i % 3)} [${i * 2}]`; check += s.length; }'),
  },
  {
    name: 'date',
    what: '20k Dates: construct, toISOString, UTC getters, Date.parse',
    javascript: jsProgram(
      'let check = 0;\nfor (let i = 0; i < 20000; i++) {\n'
      + '  const d = new Date(Date.UTC(2020, i % 12, 1 + (i % 28), i % 24, i % 60));\n  const iso = d.toISOString();\n'
      + '  check = (check + d.getUTCFullYear() + d.getUTCMonth() + d.getUTCDate() + d.getUTCHours() + iso.length + Date.parse(iso) % 997) % 1000003;\n}'),
  },
  {
    name: 'classes',
    what: 'a small class: 200k constructions and 400k method calls',
    javascript: jsProgram(
      'class Vec {\n  constructor(x, y) { this.x = x; this.y = y; }\n  add(o) { return new Vec(this.x + o.x, this.y + o.y); }\n'
      + '  len2() { return this.x * this.x + this.y * this.y; }\n}\nlet v = new Vec(0, 0);\nlet check = 0;\n'
      + 'for (let i = 0; i < 200000; i++) { v = v.add(new Vec(i % 3, 1)); check = (check + v.len2()) % 1000003; }'),
  },
  {
    name: 'wrangling',
    what: 'group 30k sales records by region, aggregate, rank, serialise',
    javascript: jsProgram(
      'const regions = ["north", "south", "east", "west"];\nconst sales = [];\n'
      + 'for (let i = 0; i < 30000; i++) sales.push({ region: regions[i % 4], product: "p" + (i % 50), qty: (i % 9) + 1, price: (i % 97) + 0.5 });\n'
      + 'const groups = {};\nfor (const sale of sales) {\n'
      + '  const g = groups[sale.region] || (groups[sale.region] = { count: 0, revenue: 0, products: new Set() });\n'
      + '  g.count++; g.revenue += sale.qty * sale.price; g.products.add(sale.product);\n}\n'
      + 'const ranked = Object.entries(groups).map(([region, g]) => ({ region, count: g.count, revenue: Math.round(g.revenue), products: g.products.size }))\n'
      + '  .sort((a, b) => b.revenue - a.revenue);\n'
      + 'const check = ranked.reduce((sum, r) => sum + r.revenue + r.products, 0) + JSON.stringify(ranked).length;'),
  },
];
