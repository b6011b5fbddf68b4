"""Drives `image-builder build` through a real pseudo-terminal (pexpect), as a user at a
terminal would: answers each "packer asks" prompt according to its build, and prints JSON of
what it saw. Usage: ask_driver.py BINARY WORKDIR TARGET=ANSWER... -- BUILD ARGS..."""
import json
import os
import sys

import pexpect

binary, workdir = sys.argv[1], sys.argv[2]
split = sys.argv.index("--")
answers = dict(a.split("=", 1) for a in sys.argv[3:split])
args = sys.argv[split + 1:]
child = pexpect.spawn(binary, ["build"] + args, cwd=workdir, env=dict(os.environ), encoding="utf-8", timeout=120)
seen = []
while True:
    index = child.expect([r"\[(\S+)\] packer asks: ([^\n]*\?)\s*\r?\n\[\S+\] answer: ", pexpect.EOF])
    if index == 1:
        break
    target, prompt = child.match.group(1), child.match.group(2)
    answer = next((v for k, v in answers.items() if target.endswith(k)), "c")
    seen.append({"target": target, "prompt": prompt, "answer": answer})
    child.sendline(answer)
child.close()
print(json.dumps({"prompts": seen, "exit": child.exitstatus}))
