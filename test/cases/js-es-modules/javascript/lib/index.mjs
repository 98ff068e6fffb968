export { sub } from './sub/value.mjs';
