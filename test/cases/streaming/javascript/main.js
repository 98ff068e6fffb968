console.log('one');
console.error('two');
console.log('three');
