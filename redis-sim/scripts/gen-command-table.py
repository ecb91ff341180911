#!/usr/bin/env python3
"""Regenerates redis-sim's copy of Redis's command table from the real one.

usage: redis-sim/scripts/gen-command-table.py REDIS_GIT_DIR [TAG]   (TAG defaults to 7.0.15)

Reads src/commands/*.json at TAG (the files Redis generates commands.c from) and writes
redis-sim/src/main/resources/sim/redis/command/commands-7.0.json: one object, top-level commands by name,
subcommands under their container's "subcommands", every field but "function" (a C symbol) kept as Redis
wrote it. CommandTable reads arity, flags, key specs and ACL categories from it, COMMAND INFO/DOCS answer
from it, and the README's command table is generated from it.
"""
import json, os, subprocess, sys

git_dir = sys.argv[1]
tag = sys.argv[2] if len(sys.argv) > 2 else "7.0.15"
names = subprocess.check_output(["git", "-C", git_dir, "ls-tree", "--name-only", tag, "src/commands/"], text=True).split()
top, subs = {}, []
for path in names:
    if not path.endswith(".json"):
        continue
    doc = json.loads(subprocess.check_output(["git", "-C", git_dir, "show", f"{tag}:{path}"], text=True))
    for name, spec in doc.items():
        spec.pop("function", None)
        spec.pop("get_keys_function", None)
        if "container" in spec:
            subs.append((spec["container"], name, spec))
        else:
            top[name] = spec
for container, name, spec in subs:
    top[container].setdefault("subcommands", {})[name] = spec
out = os.path.join(os.path.dirname(__file__), "..", "src", "main", "resources", "sim", "redis", "command", "commands-7.0.json")
with open(out, "w") as f:
    json.dump({"redis_version": tag, "commands": dict(sorted(top.items()))}, f, separators=(",", ":"), sort_keys=False)
    f.write("\n")
print(f"{len(top)} commands, {len(subs)} subcommands -> {os.path.normpath(out)}")
