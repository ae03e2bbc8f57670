# werktafel — see README.md. `make` builds ./werktafel; `make test` runs
# every test and ends with one line "N passed, M failed".

PKGS     := libcurl jansson libwebsockets sqlite3 libuv inih libical libcmark libedit libcrypto
BUILD    ?= build
CC       ?= cc
CFLAGS   ?= -O2 -g
WFLAGS   := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = $(WFLAGS) $(CFLAGS) $(SANFLAGS) -I. $(PKG_CFLAGS)

# End-to-end encryption (bot/crypto.h): the Rust static library of crypto/
# (matrix-sdk-crypto with its SQLite store), built by cargo from the
# committed Cargo.lock into build/crypto-target, always under the main
# build/ (also for BUILD=build-asan and the others), so it is built once and
# again only when crypto/ changes. WITH_CRYPTO=0 builds without Rust:
# bot/crypto_none.c fails every call ("built without end-to-end
# encryption") and the bot refuses encrypted rooms. CRYPTO_NATIVE is what
# the staticlib needs besides (`cargo rustc -- --print native-static-libs`;
# -lsqlite3 is the system SQLite the C code uses too: one SQLite).
WITH_CRYPTO   ?= 1
CRYPTO_TARGET := $(CURDIR)/build/crypto-target
CRYPTO_LIB    := $(CRYPTO_TARGET)/release/libwerktafel_crypto.a
CRYPTO_SRC    := crypto/Cargo.toml crypto/Cargo.lock $(sort $(wildcard crypto/src/*.rs))
CARGO         ?= $(shell command -v cargo 2>/dev/null || echo $(HOME)/.cargo/bin/cargo)
CRYPTO_NATIVE := -lsqlite3 -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
ifeq ($(WITH_CRYPTO),1)
CRYPTO_DEP    := $(CRYPTO_LIB)
CRYPTO_LIBS   := $(CRYPTO_LIB) $(CRYPTO_NATIVE)
CRYPTO_SKIP   := bot/crypto_none.c
else
CRYPTO_DEP    :=
CRYPTO_LIBS   :=
CRYPTO_SKIP   :=
endif
LDLIBS_ALL = $(CRYPTO_LIBS) $(PKG_LIBS) -lpthread -ldl -lm
# The Rust static library holds all of its crates' code, each function in a
# section of its own: --gc-sections leaves out what nothing calls (text
# 27.3 -> 12.1 MB; the mapped binary's RSS 14.5 -> 9.3 MiB, make bench-mem).
LINK_GC := -Wl,--gc-sections

# Everything but bot/main.c goes into a static library that the binary and
# the unit tests link.
LIB_SRC  := $(sort $(wildcard lib/*.c storage/*.c demo/*.c handlers/*.c web/*.c) $(filter-out bot/main.c $(CRYPTO_SKIP),$(wildcard bot/*.c)))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
DEPS_STAMP := $(BUILD)/.deps-ok

.PHONY: all deps test test-unit test-console test-e2e demo run-local bench clean bench-reminders readme

all: werktafel

# Install missing Debian packages once (scripts/deps checks before it installs).
$(DEPS_STAMP): scripts/deps
	@WITH_CRYPTO=$(WITH_CRYPTO) ./scripts/deps
	@mkdir -p $(BUILD) && touch $@

deps: $(DEPS_STAMP)

# Copied by rename, so a running ./werktafel does not stop the build.
werktafel: $(BUILD)/werktafel
	@cp $< $@.tmp && mv -f $@.tmp $@

$(BUILD)/werktafel: $(BUILD)/obj/bot/main.o $(BUILD)/libwerktafel.a $(CRYPTO_DEP)
	@echo "  LINK    $@"
	@$(CC) $(ALL_CFLAGS) $(LINK_GC) -o $@ $(BUILD)/obj/bot/main.o $(BUILD)/libwerktafel.a $(LDLIBS_ALL)

# The archive is remade when WITH_CRYPTO changes in the same build
# directory (crypto_none.o must not stay in it beside the Rust library).
CRYPTO_OPT := $(BUILD)/.with-crypto
$(CRYPTO_OPT): FORCE
	@mkdir -p $(dir $@)
	@[ "$$(cat $@ 2>/dev/null)" = "$(WITH_CRYPTO)" ] || echo "$(WITH_CRYPTO)" > $@

$(BUILD)/libwerktafel.a: $(LIB_OBJ) $(CRYPTO_OPT)
	@rm -f $@
	@echo "  AR      $@"
	@ar rcs $@ $(LIB_OBJ)

# The Rust library: cargo pinned by crypto/Cargo.lock (--locked), built
# with the toolchain scripts/deps checks. cargo does not touch a fresh
# output, hence the touch.
$(CRYPTO_LIB): $(CRYPTO_SRC) | $(DEPS_STAMP)
	@echo "  CARGO   $@"
	@cd crypto && CARGO_TARGET_DIR="$(CRYPTO_TARGET)" "$(CARGO)" build --release --locked --quiet
	@touch $@

.PHONY: FORCE crypto
FORCE:
crypto: $(CRYPTO_DEP)

$(BUILD)/obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# tests/unit/fixture.c holds helpers many tests share; it goes into each.
$(BUILD)/tests/%: tests/unit/%.c tests/unit/fixture.c tests/unit/fixture.h $(BUILD)/libwerktafel.a $(CRYPTO_DEP)
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	@$(CC) $(ALL_CFLAGS) $(LINK_GC) $(shell pkg-config --cflags cmocka) -o $@ $< tests/unit/fixture.c $(BUILD)/libwerktafel.a \
		$(LDLIBS_ALL) $(shell pkg-config --libs cmocka)

# The fast tests: unit and console, no homeserver.
test-unit: werktafel $(TEST_BIN)
	@tests/run --unit --console $(BUILD)

test-console: werktafel
	@tests/run --console $(BUILD)

test-e2e: werktafel
	@tests/run --e2e $(BUILD)

# All tests; the last line is the total "N passed, M failed".
test: werktafel $(TEST_BIN)
	@tests/run --all $(BUILD)

# ---- memory checks (tests/memcheck): ASan + UBSan and valgrind ----------
# make asan: unit, console and end-to-end tests (ASAN_E2E) under
# AddressSanitizer and UBSan, in their own build directory (build-asan),
# with the venv and Dendrite of build/ (linked); make asan-unit: the
# unit and console tests only. make valgrind: unit and console tests and
# the e2e files in VALGRIND_E2E under valgrind memcheck (the whole e2e
# suite is too slow under valgrind for CI; the unit tests in VALGRIND_SKIP
# run without it: test_fuzz and the Rust library's tests run under ASan and
# UBSan; VALGRIND_UNIT=0 leaves every unit test to make asan, as CI does to
# keep within its time). Any error or definite leak in any process fails
# the run.
ASAN_MAKE = $(MAKE) BUILD=build-asan CFLAGS="-O1 -g -fno-omit-frame-pointer" \
	SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
VALGRIND_E2E ?= tests/e2e/test_advice.py tests/e2e/test_room_members.py \
	tests/e2e/test_storage_faults.py tests/e2e/test_restore_backup.py
VALGRIND_SKIP ?= test_fuzz test_crypto test_crypto_input test_e2ee_sync
VALGRIND_UNIT ?= 1
.PHONY: asan asan-unit valgrind test-memcheck-asan

asan:
	$(ASAN_MAKE) test-memcheck-asan

asan-unit:
	$(ASAN_MAKE) test-unit-asan

# The e2e files under ASan: all but the 5,000-message catch-up, whose
# minutes go to sending (its code runs under ASan in test_catchup.c), and
# the E2EE client's own tests (no bot in them).
ASAN_E2E ?= $(filter-out tests/e2e/test_catchup.py tests/e2e/test_e2ee_client.py,$(sort $(wildcard tests/e2e/test_*.py)))
# Which homeservers the memory checks use (tests/e2e/conftest.py): the
# Synapse half of every file, and the Dendrite half only where the bot
# takes another path on Dendrite (a sync filter ignored, a foreign since
# token told by errcode, an invite without the bot's own member event,
# a forgotten transaction id); the rest is the same bot code on either.
# make test runs every test on both.
MEMCHECK_SERVERS ?= synapse
MEMCHECK_BOTH ?= test_neutral.py test_exactly_once.py

test-memcheck-asan: $(BUILD)/werktafel $(TEST_BIN)
	@[ -e $(BUILD)/venv ] || [ ! -d build/venv ] || ln -s "$(CURDIR)/build/venv" $(BUILD)/venv
	@[ -e $(BUILD)/dendrite ] || [ ! -d build/dendrite ] || ln -s "$(CURDIR)/build/dendrite" $(BUILD)/dendrite
	@E2E_TESTS="$(ASAN_E2E)" E2E_SERVERS="$(MEMCHECK_SERVERS)" \
		E2E_BOTH="$(MEMCHECK_BOTH)" tests/memcheck asan $(BUILD)

valgrind: werktafel $(TEST_BIN)
	@E2E_TESTS="$(VALGRIND_E2E)" VALGRIND_SKIP="$(VALGRIND_SKIP)" \
		E2E_SERVERS="$(MEMCHECK_SERVERS)" \
		VALGRIND_UNIT=$(VALGRIND_UNIT) tests/memcheck valgrind $(BUILD)

test-unit-asan: $(BUILD)/werktafel $(TEST_BIN)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
		WERKTAFEL_BIN=$(BUILD)/werktafel tests/run --unit --console $(BUILD)

# Dendrite v0.13.8, the second homeserver of the end-to-end tests, built
# once from the Go module proxy into $(BUILD)/dendrite (the tests build it
# on first use as well; a second run builds nothing).
.PHONY: dendrite
dendrite:
	@tests/e2e/setup_dendrite.sh $(BUILD)

# Try the bot without a homeserver: a fresh demo database and console mode.
# Console mode needs no end-to-end encryption, so the demo is built without
# the Rust library (WITH_CRYPTO=0) in its own directory: a fresh machine
# runs it without compiling Rust.
DEMO_BUILD := build/demo
demo:
	@$(MAKE) --no-print-directory BUILD=$(DEMO_BUILD) WITH_CRYPTO=0 $(DEMO_BUILD)/werktafel
	@rm -f $(DEMO_BUILD)/demo.db $(DEMO_BUILD)/demo.db-wal $(DEMO_BUILD)/demo.db-shm
	$(DEMO_BUILD)/werktafel --seed-demo --db $(DEMO_BUILD)/demo.db --config tests/fixtures/demo.ini
	$(DEMO_BUILD)/werktafel --shell --db $(DEMO_BUILD)/demo.db --config tests/fixtures/demo.ini --as @anna:demo.test

# A local Synapse (port 8008 when free) with the bot in the foreground, to
# try it with any Matrix client; prints the demo user's password.
run-local: werktafel
	@tests/e2e/setup_venv.sh $(BUILD)
	@$(BUILD)/venv/bin/python tests/e2e/run_local.py --build $(BUILD)

# Benchmark (not a test): the bot's reply latency against the client's own
# echo time over 500 commands, the bot's CPU per command and peak RSS;
# BENCH_ARGS="--other BIN --no-crypto -n 300": another build beside it.
bench: werktafel
	@tests/e2e/setup_venv.sh $(BUILD)
	@$(BUILD)/venv/bin/python tests/e2e/bench_latency.py --build $(BUILD) $(BENCH_ARGS)

# Benchmark (not a test): the bot's cost against the history a network
# keeps: databases with 1k, 10k and 100k past rows of each kind, reply
# p50/p99, CPU per command, idle CPU and RSS, each as a ratio to the demo
# database (tests/e2e/bench_scale.py; BENCH_ARGS="-n 50 --idle 10 --sizes 1000").
.PHONY: bench-scale
bench-scale: werktafel
	@tests/e2e/setup_venv.sh $(BUILD)
	@WERKTAFEL_BIN=$(abspath $(BUILD))/werktafel $(BUILD)/venv/bin/python tests/e2e/bench_scale.py --build $(BUILD) $(BENCH_ARGS)

# Benchmark (not a test): a backlog of 1,000 and 5,000 commands (one room,
# and over 10) sent while the bot is down; time from its start to the last
# reply, answered exactly once, replies per second. BACKLOG_ARGS: e.g.
# "--other /tmp/wt-main/build/werktafel" for a before/after in one run.
.PHONY: bench-backlog
bench-backlog: werktafel
	@tests/e2e/setup_venv.sh $(BUILD)
	@$(BUILD)/venv/bin/python tests/e2e/bench_backlog.py --build $(BUILD) $(BACKLOG_ARGS)

# Benchmark (not a test): werktafel side by side with mautrix-go,
# mautrix-python, matrix-bot-sdk and matrix-reminder-bot (pinned, built into
# $(BUILD)/peers once) on one local Synapse, interleaved: reply p50/p99 and
# their ratio to the echo, idle/peak RSS, CPU per 1,000 commands, start-up,
# backlog, and the issue's targets. BENCH_COMMANDS (200), BENCH_BACKLOG
# (1000), BENCH_PEERS (a comma list) change it.
.PHONY: bench-peers
bench-peers: werktafel
	@tests/e2e/setup_venv.sh $(BUILD)
	@tests/bench/peers/setup_peers.sh $(BUILD)
	@$(BUILD)/venv/bin/python tests/e2e/bench_peers.py --build $(BUILD)

# Benchmark (not a test): reply latency in an encrypted room against a plain
# room side by side (p50/p99 over 300 commands each, one matrix-js-sdk client
# with Rust crypto), the bot's CPU and peak RSS with the crypto machine.
.PHONY: bench-e2ee
bench-e2ee: werktafel
	@tests/e2e/setup_venv.sh $(BUILD)
	@$(BUILD)/venv/bin/python tests/e2e/bench_e2ee.py --build $(BUILD)

# Benchmark (not a test): where one command's time goes, from the sync body
# in to the reply out: the bot under callgrind, N commands (default 50),
# instructions per command and the share of each part (inclusive).
# BENCH_ARGS="-n 100 --command '!besluiten'" to change it.
.PHONY: bench-profile
bench-profile: werktafel
	@tests/e2e/setup_venv.sh $(BUILD)
	@$(BUILD)/venv/bin/python tests/bench/profile_command.py --build $(BUILD) $(BENCH_ARGS)

# Benchmark (not a test): WebSocket transport vs HTTP long-poll side by side,
# latency p50/p99 and bytes on the wire per command over 500 commands.
.PHONY: bench-ws
bench-ws: werktafel
	@tests/e2e/setup_venv.sh $(BUILD)
	@$(BUILD)/venv/bin/python tests/e2e/bench_ws.py --build $(BUILD)

# Benchmark (not a test): the board's web server (web/) under 1,000
# concurrent requests while the bot syncs: request latency p50/p90/p99,
# statuses, and command reply latency alone and under the load ("sync
# delayed" or not). BENCH_ARGS="-n 2000 --baseline 10".
.PHONY: bench-web
bench-web: werktafel
	@tests/e2e/setup_venv.sh $(BUILD)
	@$(BUILD)/venv/bin/python tests/bench/bench_web.py --build $(BUILD) $(BENCH_ARGS)

# Memory, start-up and idle benchmark (tests/bench/mem_profile.py): RSS by
# mapping (libraries, binary, heap, stacks, arenas; private and shared)
# after start-up and after 200 commands, threads, idle CPU and wake-ups,
# start-up to first sync and to first reply; crypto on (this build) and off
# (a WITH_CRYPTO=0 build in build-nocrypto). MEM_ARGS="--strace --idle 60".
.PHONY: bench-mem
bench-mem: werktafel
	@$(MAKE) --no-print-directory BUILD=build-nocrypto WITH_CRYPTO=0 build-nocrypto/werktafel
	@tests/e2e/setup_venv.sh $(BUILD)
	@$(BUILD)/venv/bin/python tests/bench/mem_profile.py --build $(BUILD) \
		--bin crypto-on=$(BUILD)/werktafel --bin crypto-off=build-nocrypto/werktafel $(MEM_ARGS)

# Reminder scheduler benchmark: 100,000 pending reminders, 1,000 fire during
# a 10 s run; prints start-up time, RSS and lateness p50/p99/max.
# BENCH_ARGS="-n 100000 -f 1000 -s 10" to change it.
bench-reminders: $(BUILD)/bench/bench_reminders
	@$(BUILD)/bench/bench_reminders $(BENCH_ARGS)

# Reminder generation benchmark: per-command CPU on the demo database with
# 10k and 100k rows of history, a full regeneration per batch (before)
# against regeneration in the command's transaction (after).
.PHONY: bench-regen
bench-regen: $(BUILD)/bench/bench_regen
	@$(BUILD)/bench/bench_regen $(BENCH_ARGS)

# Crypto library benchmark: what each bot/crypto.h call costs the loop it
# blocks (p50/p99 per call; open, encrypt, decrypt, a 1 MiB attachment).
.PHONY: bench-crypto
bench-crypto: $(BUILD)/bench/bench_crypto
	@$(BUILD)/bench/bench_crypto $(BENCH_ARGS)

$(BUILD)/bench/%: tests/bench/%.c $(BUILD)/libwerktafel.a $(CRYPTO_DEP)
	@mkdir -p $(dir $@)
	@echo "  BENCH   $@"
	@$(CC) $(ALL_CFLAGS) $(LINK_GC) -o $@ $< $(BUILD)/libwerktafel.a $(LDLIBS_ALL)

clean:
	rm -rf build build-asan build-nocrypto werktafel

-include $(LIB_OBJ:.o=.d) $(BUILD)/obj/bot/main.d

# Regenerate the README's command reference from the command table.
readme: werktafel
	@./werktafel --commands > $(BUILD)/commands.md
	@awk -v ref=$(BUILD)/commands.md '/<!-- commands:end -->/ { skip = 0 } \
		!skip { print } \
		/<!-- commands:begin -->/ { while ((getline l < ref) > 0) print l; skip = 1 }' \
		README.md > $(BUILD)/README.md && mv $(BUILD)/README.md README.md

# ---- installing (make install / make uninstall) --------------------------
# PREFIX and DESTDIR as usual. Installs the binary, the man pages
# werktafel(1) and werktafel.ini(5) (generated by the binary itself from
# the command table and the config key tables: werktafel --man 1|5), the
# example config, the systemd unit (dist/werktafel.service.in with the
# paths filled in) and the sysusers.d entry for the service's user.
# uninstall removes exactly these files. INSTALL_BIN is the binary to
# install (tests/console/install.sh gives the one it tests); GEN is where
# the generated pages and unit are written.
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
MANDIR      ?= $(PREFIX)/share/man
DOCDIR      ?= $(PREFIX)/share/doc/werktafel
SYSCONFDIR  ?= /etc
UNITDIR     ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
INSTALL_BIN ?= ./werktafel
GEN         ?= $(BUILD)/dist
INSTALL     ?= install
INSTALLED := $(BINDIR)/werktafel $(MANDIR)/man1/werktafel.1 $(MANDIR)/man5/werktafel.ini.5 \
	$(DOCDIR)/config.example.ini $(UNITDIR)/werktafel.service $(SYSUSERSDIR)/werktafel.conf
.PHONY: install uninstall man

man: $(GEN)/werktafel.1 $(GEN)/werktafel.ini.5

$(GEN)/werktafel.1: $(INSTALL_BIN)
	@mkdir -p $(dir $@)
	@$(INSTALL_BIN) --man 1 > $@.tmp && mv -f $@.tmp $@

$(GEN)/werktafel.ini.5: $(INSTALL_BIN)
	@mkdir -p $(dir $@)
	@$(INSTALL_BIN) --man 5 > $@.tmp && mv -f $@.tmp $@

$(GEN)/werktafel.service: dist/werktafel.service.in
	@mkdir -p $(dir $@)
	@sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' $< > $@.tmp && mv -f $@.tmp $@

install: $(INSTALL_BIN) man $(GEN)/werktafel.service
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(DOCDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR)
	$(INSTALL) -m 0755 $(INSTALL_BIN) $(DESTDIR)$(BINDIR)/werktafel
	$(INSTALL) -m 0644 $(GEN)/werktafel.1 $(DESTDIR)$(MANDIR)/man1/werktafel.1
	$(INSTALL) -m 0644 $(GEN)/werktafel.ini.5 $(DESTDIR)$(MANDIR)/man5/werktafel.ini.5
	$(INSTALL) -m 0644 config.example.ini $(DESTDIR)$(DOCDIR)/config.example.ini
	$(INSTALL) -m 0644 $(GEN)/werktafel.service $(DESTDIR)$(UNITDIR)/werktafel.service
	$(INSTALL) -m 0644 dist/werktafel.sysusers $(DESTDIR)$(SYSUSERSDIR)/werktafel.conf

# Only what install put there; the doc directory is ours, the others are
# shared and stay.
uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	-rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null || true

# --- fuzzing (tests/fuzz/, see tests/fuzz/fuzz.h) ----------------------------
# `make fuzz` builds each target with clang and libFuzzer (ASan, UBSan) in
# build-fuzz/ and runs it FUZZ_SECONDS on its seed corpus; any finding fails
# and its input is kept under build-fuzz/fuzz/findings/TARGET/ (put it in
# tests/fuzz/regress/TARGET/ once fixed). `make test` / `make asan` replay
# every corpus and regress file through each target built with the normal
# compiler and tests/fuzz/replay.c instead of libFuzzer.
FUZZ_TARGETS := form tags dates money number dispatch sync ws config web
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= $(shell command -v clang-14 || command -v clang || echo clang)
FUZZ_COMMON  := tests/fuzz/fuzz_common.c tests/fuzz/fuzz.h
FUZZ_REPLAY  := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay_%)

.PHONY: fuzz fuzz-build
fuzz:
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC="$(FUZZ_CC)" \
		CFLAGS="-O1 -g -fno-omit-frame-pointer" \
		SANFLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" \
		fuzz-build
	@tests/fuzz/run build-fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-build: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)

$(BUILD)/fuzz/fuzz_%: tests/fuzz/%.c $(FUZZ_COMMON) $(BUILD)/libwerktafel.a $(CRYPTO_DEP)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	@$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< tests/fuzz/fuzz_common.c \
		$(BUILD)/libwerktafel.a $(LDLIBS_ALL)

$(BUILD)/fuzz/replay_%: tests/fuzz/%.c tests/fuzz/replay.c $(FUZZ_COMMON) $(BUILD)/libwerktafel.a $(CRYPTO_DEP)
	@mkdir -p $(dir $@)
	@echo "  REPLAY  $@"
	@$(CC) $(ALL_CFLAGS) -o $@ $< tests/fuzz/replay.c tests/fuzz/fuzz_common.c \
		$(BUILD)/libwerktafel.a $(LDLIBS_ALL)

# The replays are part of the unit tests (tests/run's fuzz replay section).
test-unit test test-unit-asan test-memcheck-asan valgrind: $(FUZZ_REPLAY)

.PHONY: clean-fuzz
clean: clean-fuzz
clean-fuzz:
	rm -rf build-fuzz
