module.exports = require('../../jest.preset')(__dirname, { database: true });
