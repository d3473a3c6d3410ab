# The static web page (owned by the web page work).
.PHONY: site serve test-e2e
site:
	@echo "make site: not yet implemented" && false
serve:
	@echo "make serve: not yet implemented" && false
test-e2e:
	@echo "test-e2e: not yet implemented"
