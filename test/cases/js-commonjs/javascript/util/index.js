module.exports = { name: 'util-index' };
