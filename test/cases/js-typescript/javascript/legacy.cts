// A .cts file is CommonJS.
function twice(n: number): number {
  return n * 2;
}
module.exports = { twice };
