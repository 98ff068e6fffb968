console.log(new Intl.NumberFormat('en-US').format(1234.5), (1234.5).toLocaleString('de-DE'), 'a'.localeCompare('b'));
