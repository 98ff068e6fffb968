module.exports = 'cjs-file';
