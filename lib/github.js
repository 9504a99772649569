"use strict";
// Probot ≤ 9's `require("probot/lib/github")`, for resolvers that ignore package.json exports.
module.exports = require("../dist/cjs/bundle.cjs").libGithub;
