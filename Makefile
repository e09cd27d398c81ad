# The two commands a newcomer needs: `make run` and `make test`. Both install what is missing first.
PRESET ?= release
BUILD := build/$(PRESET)
DB ?= sqlite:var/rampart.db
LISTEN ?= 127.0.0.1:8080
JOBS ?= $(shell nproc)
# cmake runs make underneath: keep its "Entering directory" lines out of the way.
MAKEFLAGS += --no-print-directory

.PHONY: all setup setup-test setup-bench build web run test test-unit test-e2e bench fmt tidy clean

all: build web

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh --test

setup-bench:
	@scripts/setup.sh --bench

build:
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

web:
	@cd web && npm run --silent build

run: setup build web
	@mkdir -p var
	@echo "Starting Rampart on http://$(LISTEN) (database $(DB)); stop it with Ctrl-C."
	@$(BUILD)/rampart serve --listen $(LISTEN) --db $(DB) --demo

test: setup-test build web
	@scripts/test.sh $(BUILD)

# Parts of the suite, for a quicker loop while working.
test-unit: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-e2e: build web
	@scripts/test.sh $(BUILD) e2e

# Benchmarks beside their ceilings; results go to docs/performance.md by hand after a run.
bench: setup-bench build web
	@bash bench/http.sh $(BUILD)
	@bash bench/incidents.sh $(BUILD)
	@bash bench/risk.sh $(BUILD)
	@bash bench/profile.sh $(BUILD) 1000000
	@bash bench/isms.sh $(BUILD)
	@bash bench/stix.sh $(BUILD)

fmt:
	@find src -name '*.cc' -o -name '*.h' | xargs clang-format -i

tidy:
	@find src -name '*.cc' | xargs clang-tidy -p $(BUILD) --quiet

clean:
	@rm -rf build web/dist
