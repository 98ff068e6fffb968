import { value } from './helper.mjs';
console.log(value);
