// Preloaded with `node -r ./nocrypto.js bot.js`. matrix-bot-sdk requires
// its Rust crypto module (@matrix-org/matrix-sdk-crypto-nodejs) when it is
// loaded, and that package downloads its native library from outside the
// package registry in a postinstall step, which cannot run here (npm ci
// --ignore-scripts). The benchmark rooms are not encrypted and the bot is
// made without a crypto store, so the module is never used: this hook
// answers the require with an object whose every member throws if touched
// at run time, so a use would show at once instead of passing unnoticed.
"use strict";
const Module = require("module");
const NAME = "@matrix-org/matrix-sdk-crypto-nodejs";
const absent = new Proxy(function () {}, {
    get(_t, prop) {
        if (prop === "__esModule") return false;
        if (typeof prop === "symbol") return undefined;
        return new Proxy(function () {}, {
            get() { throw new Error(`${NAME}.${String(prop)}: crypto is not installed in this benchmark`); },
            apply() { throw new Error(`${NAME}.${String(prop)}: crypto is not installed in this benchmark`); },
            construct() { throw new Error(`${NAME}.${String(prop)}: crypto is not installed in this benchmark`); },
        });
    },
});
const load = Module._load;
Module._load = function (request, parent, isMain) {
    if (request === NAME) return absent;
    return load.apply(this, arguments);
};
