// A minimal mautrix-go command bot for `make bench-peers`: it logs in with
// a password, joins the rooms it is invited to and answers "!ping" with a
// "pong" notice in reply, as the library's example shows (without the
// crypto helper: the benchmark rooms are not encrypted).
// Usage: mautrix-go-ping HOMESERVER USER PASSWORD
package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: mautrix-go-ping HOMESERVER USER PASSWORD")
		os.Exit(2)
	}
	ctx := context.Background()
	client, err := mautrix.NewClient(os.Args[1], "", "")
	if err != nil {
		panic(err)
	}
	_, err = client.Login(ctx, &mautrix.ReqLogin{
		Type:             mautrix.AuthTypePassword,
		Identifier:       mautrix.UserIdentifier{Type: mautrix.IdentifierTypeUser, User: os.Args[2]},
		Password:         os.Args[3],
		StoreCredentials: true,
	})
	if err != nil {
		panic(err)
	}
	syncer := client.Syncer.(*mautrix.DefaultSyncer)
	syncer.OnEventType(event.EventMessage, func(ctx context.Context, evt *event.Event) {
		msg := evt.Content.AsMessage()
		if evt.Sender == client.UserID || !strings.HasPrefix(msg.Body, "!ping") {
			return
		}
		reply := event.MessageEventContent{MsgType: event.MsgNotice, Body: "pong"}
		reply.SetReply(evt)
		if _, err := client.SendMessageEvent(ctx, evt.RoomID, event.EventMessage, &reply); err != nil {
			fmt.Fprintln(os.Stderr, "send failed:", err)
		}
	})
	syncer.OnEventType(event.StateMember, func(ctx context.Context, evt *event.Event) {
		if evt.GetStateKey() == client.UserID.String() &&
			evt.Content.AsMember().Membership == event.MembershipInvite {
			if _, err := client.JoinRoomByID(ctx, evt.RoomID); err != nil {
				fmt.Fprintln(os.Stderr, "join failed:", err)
			}
		}
	})
	if err := client.SyncWithContext(ctx); err != nil {
		panic(err)
	}
}
