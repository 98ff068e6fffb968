// Catastrophic backtracking inside the regex engine: no loop back-edge or call of user code for the guest's deadline
// check to run, so only the host's epoch deadline stops it.
console.log('start');
console.log(/(a+)+$/.test('a'.repeat(40) + 'b'));
