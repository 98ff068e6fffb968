export function add(a, b) { return a + b; }
export const greet = 'hello';
export default function () { return 'default-fn'; }
