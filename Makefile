# Tandem's two entry points: `make run` and `make test`. Both install what they need first on a
# Debian/Ubuntu machine (apt packages, npm packages, tauri-driver), so a fresh clone works.

SHELL := /bin/bash
TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
APP_FEATURES := --features tauri/custom-protocol
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev \
	libayatana-appindicator3-dev librsvg2-dev xvfb xauth webkit2gtk-driver dbus-x11 at-spi2-core \
	imagemagick keyutils libdbus-1-dev python3-venv python3-pip notmuch dovecot-imapd openssl gnome-keyring poppler-utils

VENV := $(HOME)/.cache/tandem/venv

.PHONY: run test deps apt ui-deps py-deps tauri-driver ui app check rust-test ui-test bindings oracle bench-check bench fuzz-check fuzz-deps e2e

## Build Tandem (release) and start it on the demo executive. Without a display it runs under
## Xvfb and says so.
run: deps ui
	cargo build --release -p tandem-desktop $(APP_FEATURES)
	@if [ -n "$$DISPLAY" ] || [ -n "$$WAYLAND_DISPLAY" ]; then \
		"$(TARGET_DIR)/release/tandem-desktop"; \
	else \
		echo "No display found: starting Tandem under Xvfb (a virtual screen, 1440x900)."; \
		xvfb-run -a -s "-screen 0 1440x900x24 -ac" sh -c 'echo "Tandem is on display $$DISPLAY (screenshot: DISPLAY=$$DISPLAY import -window root tandem.png). Ctrl+C stops it."; exec dbus-run-session -- "$$0"' "$(TARGET_DIR)/release/tandem-desktop"; \
	fi

## The whole test suite: formatting, lints, Rust tests, UI checks and tests, the IPC types
## check, and end-to-end tests on the real app under Xvfb.
test: deps check rust-test bindings oracle bench-check fuzz-check ui-test app e2e

deps: apt ui-deps py-deps tauri-driver

apt:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing: $$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi
	@# The IMAP tests' Dovecot gives mail to this system user when they run as root (imap-login
	@# refuses root); as anyone else they use the current user.
	@if [ "$$(id -u)" = 0 ] && ! id vmail >/dev/null 2>&1; then useradd -r -s /usr/sbin/nologin vmail; fi

ui-deps:
	@if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then \
		npm --prefix ui ci --no-audit --no-fund; \
	fi

## The independent oracles (python-dateutil, icalendar, recurring-ical-events) in a venv
## outside the clone.
py-deps:
	@test -x "$(VENV)/bin/python" || python3 -m venv "$(VENV)"
	@"$(VENV)/bin/python" -m pip install -q --disable-pip-version-check -r tests/oracle/requirements.txt

tauri-driver:
	@command -v tauri-driver >/dev/null || cargo install tauri-driver --locked

ui:
	npm --prefix ui run build

check:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	npm --prefix ui run check
	npm --prefix ui run lint

rust-test:
	tests/with-keychain.sh cargo test --workspace --exclude tandem-desktop

## The TypeScript types in ui/src/ipc/bindings are generated from the Rust DTOs by the api
## tests (ts-rs); a difference from the committed copies means they drifted.
bindings:
	cargo test -p tandem-api --lib -q export_bindings
	@git diff --exit-code --stat -- ui/src/ipc/bindings || { echo "ui/src/ipc/bindings is out of date: commit the regenerated files"; exit 1; }
	@test -z "$$(git ls-files --others --exclude-standard ui/src/ipc/bindings)" || { echo "new generated bindings are not committed"; exit 1; }

## Differential tests: `tandem expand` against recurring-ical-events and python-dateutil on the
## same files and rules; -s so the pass rates they print land in the log.
oracle:
	cargo build -p tandem-cli
	TANDEM_CLI="$(TARGET_DIR)/debug/tandem" "$(VENV)/bin/python" -m pytest -q -s tests/oracle

## Benchmarks in their quick answer-checking mode (one run each; the Python peer must count the
## same occurrences). Full runs with figures: `make bench`.
bench-check:
	cargo bench -p tandem-tests --bench year_of_calendars -- --test
	cargo build -p tandem-cli
	"$(VENV)/bin/python" tests/benches/scheduler.py --quick --cli "$(TARGET_DIR)/debug/tandem"
	"$(VENV)/bin/python" tests/benches/mail.py --quick --cli "$(TARGET_DIR)/debug/tandem"
	tests/with-keychain.sh "$(VENV)/bin/python" tests/benches/calendar_sync.py --quick --cli "$(TARGET_DIR)/debug/tandem"

bench:
	cargo bench -p tandem-tests --bench year_of_calendars
	cargo build --release -p tandem-cli
	"$(VENV)/bin/python" tests/benches/scheduler.py --cli "$(TARGET_DIR)/release/tandem"
	"$(VENV)/bin/python" tests/benches/mail.py --cli "$(TARGET_DIR)/release/tandem"
	tests/with-keychain.sh "$(VENV)/bin/python" tests/benches/calendar_sync.py --cli "$(TARGET_DIR)/release/tandem"

## The parsers' fuzz targets (cargo fuzz, nightly) in quick mode: a few thousand inputs grown
## from the fixtures, into a scratch corpus outside the clone. Real runs: see the fuzz Cargo.toml.
FUZZ_DIR := src-tauri/crates/formats/fuzz
fuzz-check: fuzz-deps
	mkdir -p $(HOME)/.cache/tandem/fuzz/ics $(HOME)/.cache/tandem/fuzz/mail $(HOME)/.cache/tandem/fuzz/rules $(HOME)/.cache/tandem/fuzz/itip $(HOME)/.cache/tandem/fuzz/dav
	cd $(FUZZ_DIR) && cargo +nightly fuzz run ics $(HOME)/.cache/tandem/fuzz/ics $(CURDIR)/tests/fixtures/ics -- -runs=2000 -max_len=65536 -max_total_time=120
	cd $(FUZZ_DIR) && cargo +nightly fuzz run mail $(HOME)/.cache/tandem/fuzz/mail -- -runs=20000
	cd $(FUZZ_DIR) && cargo +nightly fuzz run rules $(HOME)/.cache/tandem/fuzz/rules $(CURDIR)/tests/fixtures/invitations -- -runs=5000
	cd $(FUZZ_DIR) && cargo +nightly fuzz run itip $(HOME)/.cache/tandem/fuzz/itip $(CURDIR)/tests/fixtures/invitations/invites -- -runs=2000 -max_len=16384
	cd $(FUZZ_DIR) && cargo +nightly fuzz run dav $(HOME)/.cache/tandem/fuzz/dav $(CURDIR)/tests/fixtures/dav -- -runs=5000 -max_len=65536

fuzz-deps:
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

ui-test:
	npm --prefix ui test

app: ui
	cargo build -p tandem-desktop $(APP_FEATURES)

e2e: app py-deps
	cargo build -p tandem-cli
	TANDEM_APP="$(TARGET_DIR)/debug/tandem-desktop" TANDEM_PYTHON="$(VENV)/bin/python" tests/e2e/run.sh
