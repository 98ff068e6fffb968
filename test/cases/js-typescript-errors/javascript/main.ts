const ok: number = 1;
const broken = (value: number => value;
console.log(ok, broken);
