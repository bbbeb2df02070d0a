#!/usr/bin/env node
// Launches the TypeScript command line through tsx's loader.
import { register } from "tsx/esm/api";

register();
await import("./check.ts");
