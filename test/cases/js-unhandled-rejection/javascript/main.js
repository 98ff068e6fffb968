async function main() {
  console.log('before');
  await new Promise((r) => setTimeout(r, 1));
  throw new Error('async failure');
}
main();
