import { add, greet } from './lib/math.mjs';
import def, * as ns from './lib/math.mjs';
import config from './config.json' with { type: 'json' };
import { sub } from './lib/index.mjs';
const waited = await new Promise((r) => setTimeout(() => r('waited'), 10));
console.log(add(1, 2), greet, def(), Object.keys(ns).length, JSON.stringify(config), sub, waited, typeof import.meta.url === 'string', import.meta.url.slice(import.meta.url.lastIndexOf('/')));
