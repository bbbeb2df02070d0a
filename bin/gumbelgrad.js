#!/usr/bin/env node
// The `gumbelgrad` command: the compiled command line in dist/ (built by `npm run build`).
import "../dist/cli/check.js";
