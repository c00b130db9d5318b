import { publicInterface } from "../src/checks/interface.ts";
import { TINY_CODE } from "../test/fixtures/tiny-replies.ts";
console.log(await publicInterface(TINY_CODE["model.py"]!));
console.log(await publicInterface('class A:\n    """An A thing.\n\n    more"""\n    def __init__(self, x):\n        self.x = x\n        self._y = 1\n    def run(self):\n        """Run it."""\n        self.out = 2\n\ndef f(a, b=2):\n    \'\'\'Adds.\'\'\'\n    return a\n'));
