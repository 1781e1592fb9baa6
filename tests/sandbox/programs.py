"""The same small programs in every sandbox language, for the language and hostile tests.

`SUM[lang]` reads two integers and prints their sum; `ADD[lang]` defines `add(a, b)`
(Java: `Solution.add`), and `ADD_TEST[lang]` is appended test code for it, as in
HumanEval-X / MultiPL-E (a `main` with assertions).
"""

from __future__ import annotations

LANGUAGES = ("python", "cpp", "c", "java", "javascript", "go", "rust")

SUM = {
    "python": "a, b = map(int, input().split())\nprint(a + b)\n",
    "cpp": "#include <iostream>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a+b<<\"\\n\";}\n",
    "c": "#include <stdio.h>\nint main(void){long long a,b;scanf(\"%lld %lld\",&a,&b);"
         "printf(\"%lld\\n\",a+b);return 0;}\n",
    "java": "import java.util.*;\npublic class Main { public static void main(String[] x) {"
            " Scanner s = new Scanner(System.in); long a = s.nextLong(), b = s.nextLong();"
            " System.out.println(a + b); } }\n",
    "javascript": "const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/)"
                  ".map(BigInt);\nconsole.log((a + b).toString());\n",
    "go": "package main\nimport \"fmt\"\nfunc main() { var a, b int64; fmt.Scan(&a, &b);"
          " fmt.Println(a + b) }\n",
    "rust": "use std::io::Read;\nfn main() { let mut s = String::new();"
            " std::io::stdin().read_to_string(&mut s).unwrap();"
            " let v: Vec<i64> = s.split_whitespace().map(|x| x.parse().unwrap()).collect();"
            " println!(\"{}\", v[0] + v[1]); }\n",
}

# Wrong: prints a - b.
DIFF = {lang: src.replace("a+b", "a-b").replace("a + b", "a - b").replace("v[0] + v[1]", "v[0] - v[1]")
        for lang, src in SUM.items()}

SUM_TESTS = [{"input": "1 2\n", "output": "3\n"}, {"input": "10 -4\n", "output": "6\n"},
             {"input": "0 0\n", "output": "0\n"}]

ADD = {
    "python": "def add(a, b):\n    return a + b\n",
    "cpp": "int add(int a, int b) { return a + b; }\n",
    "c": "int add(int a, int b) { return a + b; }\n",
    "java": "class Solution { public int add(int a, int b) { return a + b; } }\n",
    "javascript": "function add(a, b) { return a + b; }\n",
    "go": "package main\n\nfunc Add(a, b int) int { return a + b }\n",
    "rust": "fn add(a: i32, b: i32) -> i32 { a + b }\n",
}
ADD_WRONG = {lang: src.replace("a + b", "a * b") for lang, src in ADD.items()}

ADD_TEST = {
    "python": "assert add(2, 3) == 5\nassert add(-1, 1) == 0",
    "cpp": "#include <cassert>\nint main() { assert(add(2, 3) == 5); assert(add(-1, 1) == 0); }",
    "c": "#include <assert.h>\nint main(void) { assert(add(2, 3) == 5); assert(add(-1, 1) == 0);"
         " return 0; }",
    "java": "public class Main { public static void main(String[] args) { Solution s = new"
            " Solution(); if (s.add(2, 3) != 5 || s.add(-1, 1) != 0) throw new AssertionError();"
            " assert s.add(1, 1) == 2; } }",
    "javascript": "const assert = require('node:assert');\nassert.deepEqual(add(2, 3), 5);\n"
                  "assert.deepEqual(add(-1, 1), 0);",
    "go": "package main\n\nimport (\n\t\"testing\"\n\t\"github.com/stretchr/testify/assert\"\n)\n\n"
          "func TestAdd(t *testing.T) {\n\tassert.Equal(t, 5, Add(2, 3))\n"
          "\tassert.Equal(t, 0, Add(-1, 1))\n}\n",
    "rust": "fn main() { assert_eq!(add(2, 3), 5); assert_eq!(add(-1, 1), 0); }",
}

# The function under test ends the process with status 0 before any assertion can fail.
ADD_EXITS_EARLY = {
    "cpp": "#include <cstdlib>\nint add(int a, int b) { std::exit(0); }\n",
    "c": "#include <stdlib.h>\nint add(int a, int b) { exit(0); }\n",
    "java": "class Solution { public int add(int a, int b) { System.exit(0); return 0; } }\n",
    "javascript": "function add(a, b) { process.exit(0); }\n",
    "go": "package main\n\nimport \"os\"\n\nfunc Add(a, b int) int { os.Exit(0); return 0 }\n",
    "rust": "fn add(a: i32, b: i32) -> i32 { std::process::exit(0) }\n",
}

SYNTAX_ERROR = {
    "python": "def f(:\n", "cpp": "int main() { return missing; }\n",
    "c": "int main(void) { return missing; }\n", "java": "public class Main { void }\n",
    "javascript": "function (\n", "go": "package main\nfunc main() { x := }\n",
    "rust": "fn main() { let x: i32 = \"a\"; }\n",
}

CRASH = {  # exits with status 3 after writing "boom" to stderr
    "python": "import sys\nprint('boom', file=sys.stderr)\nsys.exit(3)\n",
    "cpp": "#include <cstdio>\nint main(){std::fputs(\"boom\\n\", stderr); return 3;}\n",
    "c": "#include <stdio.h>\nint main(void){fputs(\"boom\\n\", stderr); return 3;}\n",
    "java": "public class Main { public static void main(String[] a) {"
            " System.err.println(\"boom\"); System.exit(3); } }\n",
    "javascript": "console.error('boom'); process.exit(3);\n",
    "go": "package main\nimport (\"fmt\"; \"os\")\nfunc main() { fmt.Fprintln(os.Stderr, \"boom\");"
          " os.Exit(3) }\n",
    "rust": "fn main() { eprintln!(\"boom\"); std::process::exit(3); }\n",
}
