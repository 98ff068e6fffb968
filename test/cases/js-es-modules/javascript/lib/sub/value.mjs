export const sub = 'sub:ok';
