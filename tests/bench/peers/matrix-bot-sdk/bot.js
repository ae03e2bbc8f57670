// A minimal matrix-bot-sdk command bot for `make bench-peers`: it logs in
// with a password, joins the rooms it is invited to (AutojoinRoomsMixin)
// and answers "!ping" with a "pong" notice in reply, as the library's
// documentation shows (SimpleFsStorageProvider keeps its sync token; no
// crypto: the benchmark rooms are not encrypted, see nocrypto.js).
// Usage: node -r ./nocrypto.js bot.js HOMESERVER USER PASSWORD STORAGE.json
"use strict";
const { MatrixAuth, MatrixClient, SimpleFsStorageProvider,
        AutojoinRoomsMixin, LogService, LogLevel } = require("matrix-bot-sdk");

async function main([homeserver, user, password, storage]) {
    LogService.setLevel(LogLevel.WARN);
    const login = await new MatrixAuth(homeserver).passwordLogin(user, password);
    const client = new MatrixClient(homeserver, login.accessToken,
                                    new SimpleFsStorageProvider(storage));
    AutojoinRoomsMixin.setupOnClient(client);
    const self = await client.getUserId();
    client.on("room.message", async (roomId, event) => {
        const body = event.content && event.content.body;
        if (event.sender === self || typeof body !== "string" ||
            !body.startsWith("!ping")) {
            return;
        }
        await client.replyNotice(roomId, event, "pong");
    });
    await client.start();
}

if (process.argv.length !== 6) {
    console.error("usage: bot.js HOMESERVER USER PASSWORD STORAGE.json");
    process.exit(2);
}
main(process.argv.slice(2)).catch((e) => { console.error(e); process.exit(1); });
