# WebAssembly module and npm package (owned by the wasm/npm work).
.PHONY: pkg test-wasm test-js
pkg:
	@echo "make pkg: not yet implemented" && false
test-wasm:
	@echo "test-wasm: not yet implemented"
test-js:
	@echo "test-js: not yet implemented"
