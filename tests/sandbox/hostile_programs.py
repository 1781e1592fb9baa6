"""Hostile programs in every compiled or non-Python sandbox language, by class.

Each entry: class -> (allowed statuses, {language: source}, tests or None for the
default one stdin/stdout test expecting "contained"). Programs that probe something
print "contained" when they could not do it, so a pass means "contained".
"""

from __future__ import annotations

NOT_PASS = {"timeout", "runtime_error", "memory_limit", "output_limit", "fail"}
COMPILE_BOMB = {"compile_error", "compile_timeout"}
FORGED = ('{"test": 0, "status": "pass"}\\n{"done": true}')
FORGED_QUOTED = FORGED.replace('"', '\\"')

HOSTILE: dict[str, tuple[set[str], dict[str, str], list | None]] = {
    "fork bomb": ({"timeout", "runtime_error"}, {
        "cpp": "#include <unistd.h>\nint main(){ while (true) fork(); }\n",
        "c": "#include <unistd.h>\nint main(void){ for (;;) fork(); }\n",
        "java": "public class Main { public static void main(String[] a) throws Exception {"
                " while (true) { try { new ProcessBuilder(\"/proc/self/exe\", \"-cp\","
                " System.getProperty(\"java.class.path\"), \"Main\").start(); }"
                " catch (Exception e) {} } } }\n",
        "javascript": "const cp = require('child_process');\n"
                      "for (;;) { try { cp.spawn(process.execPath, [__filename]); } catch (e) {} }\n",
        "go": "package main\nimport \"syscall\"\nfunc main() { for { syscall.RawSyscall("
              "syscall.SYS_FORK, 0, 0, 0) } }\n",
        "rust": "use std::process::Command;\nfn main() { loop { let _ = Command::new("
                "\"/proc/self/exe\").spawn(); } }\n",
    }, None),
    # On a loaded machine, touching the container's memory can outlast the deadline:
    # either way the program is stopped (the Python suite checks the status exactly).
    "memory bomb": ({"memory_limit", "timeout"}, {
        "cpp": "#include <vector>\n#include <cstring>\nint main(){ std::vector<char*> v; while (true)"
               " { char* p = new char[1 << 24]; std::memset(p, 1, 1 << 24); v.push_back(p); } }\n",
        "c": "#include <stdlib.h>\n#include <string.h>\nint main(void){ for (;;) { char* p ="
             " malloc(1 << 24); if (!p) return 12; memset(p, 1, 1 << 24); } }\n",
        "java": "import java.util.*;\npublic class Main { public static void main(String[] a) {"
                " List<long[]> v = new ArrayList<>(); while (true) v.add(new long[1 << 20]); } }\n",
        "javascript": "const v = [];\nfor (;;) v.push(new Array(1 << 20).fill(1.5));\n",
        "go": "package main\nfunc main() { var v [][]byte; for { b := make([]byte, 1<<24);"
              " for i := range b { b[i] = 1 }; v = append(v, b) } }\n",
        "rust": "fn main() { let mut v: Vec<Vec<u8>> = Vec::new(); loop { v.push(vec![1u8; 1 << 24]); } }\n",
    }, None),
    "stdout bomb": ({"output_limit"}, {
        "cpp": "#include <cstdio>\nint main(){ for (;;) std::fputs(\"xxxxxxxxxxxxxxxx\", stdout); }\n",
        "c": "#include <stdio.h>\nint main(void){ for (;;) fputs(\"xxxxxxxxxxxxxxxx\", stdout); }\n",
        "java": "public class Main { public static void main(String[] a) { String s ="
                " \"x\".repeat(65536); while (true) System.out.print(s); } }\n",
        "javascript": "const s = 'x'.repeat(65536);\nfor (;;) require('fs').writeSync(1, s);\n",
        "go": "package main\nimport \"os\"\nfunc main() { b := make([]byte, 65536); for {"
              " os.Stdout.Write(b) } }\n",
        "rust": "use std::io::Write;\nfn main() { let b = [b'x'; 65536]; let mut o ="
                " std::io::stdout(); loop { if o.write_all(&b).is_err() { break; } } }\n",
    }, None),
    "disk fill": ({"pass", "runtime_error"}, {
        "cpp": "#include <cstdio>\nint main(){ FILE* f = std::fopen(\"/tmp/fill\", \"wb\");"
               " static char b[1 << 20]; int n = 0; while (f && std::fwrite(b, 1, sizeof b, f)"
               " == sizeof b && std::fflush(f) == 0) n++; std::puts(n < 64 ? \"contained\" :"
               " \"filled\"); }\n",
        "c": "#include <stdio.h>\nint main(void){ FILE* f = fopen(\"/tmp/fill\", \"wb\");"
             " static char b[1 << 20]; int n = 0; while (f && fwrite(b, 1, sizeof b, f) =="
             " sizeof b && fflush(f) == 0) n++; puts(n < 64 ? \"contained\" : \"filled\");"
             " return 0; }\n",
        "java": "import java.io.*;\npublic class Main { public static void main(String[] a) {"
                " int n = 0; try (FileOutputStream f = new FileOutputStream(\"/tmp/fill\")) {"
                " byte[] b = new byte[1 << 20]; while (true) { f.write(b); n++; } } catch"
                " (IOException e) {} System.out.println(n < 64 ? \"contained\" : \"filled\"); } }\n",
        "javascript": "const fs = require('fs'); let n = 0;\ntry { const fd = fs.openSync("
                      "'/tmp/fill', 'w'); const b = Buffer.alloc(1 << 20);"
                      " for (;;) { fs.writeSync(fd, b); n++; } } catch (e) {}\n"
                      "console.log(n < 64 ? 'contained' : 'filled');\n",
        "go": "package main\nimport (\"fmt\"; \"os\")\nfunc main() { f, _ := os.Create(\"/tmp/fill\");"
              " b := make([]byte, 1<<20); n := 0; for { if _, err := f.Write(b); err != nil"
              " { break }; n++ }; if n < 64 { fmt.Println(\"contained\") } else {"
              " fmt.Println(\"filled\") } }\n",
        "rust": "use std::io::Write;\nfn main() { let mut n = 0; if let Ok(mut f) ="
                " std::fs::File::create(\"/tmp/fill\") { let b = vec![0u8; 1 << 20];"
                " while f.write_all(&b).is_ok() { n += 1; } } println!(\"{}\", if n < 64"
                " { \"contained\" } else { \"filled\" }); }\n",
    }, None),
    "network": ({"pass"}, {
        "cpp": "#include <cstdio>\n#include <sys/socket.h>\n#include <netinet/in.h>\n"
               "#include <arpa/inet.h>\nint main(){ int ok = 0; const char* hosts[] = {"
               "\"8.8.8.8\", \"172.17.0.1\"}; for (auto h : hosts) { int s = socket(AF_INET,"
               " SOCK_STREAM, 0); sockaddr_in a{}; a.sin_family = AF_INET; a.sin_port ="
               " htons(53); inet_pton(AF_INET, h, &a.sin_addr); if (connect(s, (sockaddr*)&a,"
               " sizeof a) == 0) ok++; } std::puts(ok ? \"reached\" : \"contained\"); }\n",
        "c": "#include <stdio.h>\n#include <string.h>\n#include <sys/socket.h>\n"
             "#include <netinet/in.h>\n#include <arpa/inet.h>\nint main(void){ struct"
             " sockaddr_in a; memset(&a, 0, sizeof a); a.sin_family = AF_INET; a.sin_port ="
             " htons(53); inet_pton(AF_INET, \"8.8.8.8\", &a.sin_addr); int s = socket(AF_INET,"
             " SOCK_STREAM, 0); puts(connect(s, (struct sockaddr*)&a, sizeof a) == 0 ?"
             " \"reached\" : \"contained\"); return 0; }\n",
        "java": "import java.net.*;\npublic class Main { public static void main(String[] a) {"
                " try { new Socket().connect(new InetSocketAddress(\"8.8.8.8\", 53), 500);"
                " System.out.println(\"reached\"); } catch (Exception e) {"
                " System.out.println(\"contained\"); } } }\n",
        "javascript": "const s = require('net').connect(53, '8.8.8.8');\n"
                      "s.on('connect', () => { console.log('reached'); process.exit(0); });\n"
                      "s.on('error', () => console.log('contained'));\n",
        "go": "package main\nimport (\"fmt\"; \"net\"; \"time\")\nfunc main() { _, err :="
              " net.DialTimeout(\"tcp\", \"8.8.8.8:53\", 500*time.Millisecond); if err != nil"
              " { fmt.Println(\"contained\") } else { fmt.Println(\"reached\") } }\n",
        "rust": "fn main() { let r = std::net::TcpStream::connect(\"8.8.8.8:53\");"
                " println!(\"{}\", if r.is_ok() { \"reached\" } else { \"contained\" }); }\n",
    }, None),
    "kills every process it can": ({"runtime_error"}, {
        "cpp": "#include <csignal>\nint main(){ kill(-1, SIGKILL); }\n",
        "c": "#include <signal.h>\nint main(void){ kill(-1, SIGKILL); return 0; }\n",
        "java": "public class Main { public static void main(String[] a) throws Exception {"
                " new ProcessBuilder(\"/bin/sh\", \"-c\", \"kill -9 -1\").start().waitFor();"
                " Thread.sleep(10000); } }\n",
        "javascript": "try { process.kill(-1, 'SIGKILL'); } catch (e) {}\n"
                      "setTimeout(() => {}, 10000);\n",
        "go": "package main\nimport \"syscall\"\nfunc main() { syscall.Kill(-1, syscall.SIGKILL) }\n",
        "rust": "fn main() { let _ = std::process::Command::new(\"/bin/sh\")"
                ".args([\"-c\", \"kill -9 -1\"]).status(); std::thread::sleep("
                "std::time::Duration::from_secs(10)); }\n",
    }, [{"output": "contained"}, {"output": "contained"}]),
    "kills its parent": (NOT_PASS, {
        "cpp": "#include <csignal>\n#include <unistd.h>\nint main(){ kill(getppid(), SIGKILL); }\n",
        "c": "#include <signal.h>\n#include <unistd.h>\nint main(void){ kill(getppid(), SIGKILL);"
             " return 0; }\n",
        "java": "public class Main { public static void main(String[] a) throws Exception {"
                " long p = ProcessHandle.current().parent().get().pid(); new ProcessBuilder("
                "\"/bin/sh\", \"-c\", \"kill -9 \" + p).start().waitFor(); } }\n",
        "javascript": "process.kill(process.ppid, 'SIGKILL');\n",
        "go": "package main\nimport \"syscall\"\nfunc main() { syscall.Kill(syscall.Getppid(),"
              " syscall.SIGKILL) }\n",
        "rust": "fn main() { let p = std::os::unix::process::parent_id(); let _ ="
                " std::process::Command::new(\"/bin/sh\").args([\"-c\", &format!(\"kill -9 {}\", p)])"
                ".status(); }\n",
    }, [{"output": "contained"}, {"output": "contained"}]),
    # (timeout: a Node start can outlast the short deadline on a loaded machine)
    "prints a forged verdict": ({"fail", "timeout"}, {
        "cpp": f"#include <cstdio>\nint main(){{ std::puts(\"{FORGED_QUOTED}\"); }}\n",
        "c": f"#include <stdio.h>\nint main(void){{ puts(\"{FORGED_QUOTED}\"); return 0; }}\n",
        "java": f"public class Main {{ public static void main(String[] a) {{"
                f" System.out.println(\"{FORGED_QUOTED}\"); }} }}\n",
        "javascript": f"console.log('{FORGED}');\n",
        "go": f"package main\nimport \"fmt\"\nfunc main() {{ fmt.Println(`{FORGED}`) }}\n",
        "rust": f"fn main() {{ println!(\"{{}}\", r#\"{FORGED}\"#); }}\n",
    }, None),
}

# Writes a completion mark of its own to fd 3, then exits 0 before the test code runs.
FORGED_MARK = {
    "cpp": "#include <unistd.h>\n#include <cstdlib>\nint add(int a, int b) { write(3, \"RK-DONE \\n\","
           " 9); std::exit(0); }\n",
    "c": "#include <unistd.h>\n#include <stdlib.h>\nint add(int a, int b) { write(3, \"RK-DONE \\n\","
         " 9); exit(0); }\n",
    "java": "class Solution { public int add(int a, int b) { try (java.io.FileOutputStream o = new"
            " java.io.FileOutputStream(\"/dev/fd/3\")) { o.write(\"RK-DONE \\n\".getBytes()); }"
            " catch (Exception e) {} System.exit(0); return 0; } }\n",
    "javascript": "function add(a, b) { require('fs').writeSync(3, 'RK-DONE \\n'); process.exit(0); }\n",
    "go": "package main\n\nimport \"os\"\n\nfunc Add(a, b int) int { os.NewFile(3, \"x\").WriteString("
          "\"RK-DONE \\n\"); os.Exit(0); return 0 }\n",
    "rust": "use std::io::Write;\nfn add(a: i32, b: i32) -> i32 { if let Ok(mut f) ="
            " std::fs::OpenOptions::new().write(true).open(\"/dev/fd/3\") { let _ ="
            " f.write_all(b\"RK-DONE \\n\"); } std::process::exit(0) }\n",
}

COMPILE_BOMBS = {
    "cpp": "#include </dev/random>\nint main(){}\n",
    "c": "#define A0 x x\n" + "".join(f"#define A{i} A{i - 1} A{i - 1}\n" for i in range(1, 40))
         + "int main(void){ A39; }\n",
    "java": "public class Main { static int f(int x) { return x; } static long f(long x) {"
            " return x; } static double f(double x) { return x; } public static void main("
            "String[] a) { System.out.println(" + "f(" * 400 + "1" + ")" * 400 + "); } }\n",
    "javascript": "const x = " + "[" * 200000 + "]" * 200000 + ";\n",
    "go": "package main\nvar x [1 << 50]byte\nfunc main() { println(len(x)) }\n",
    "rust": "macro_rules! boom { () => { boom!(); boom!(); }; }\nfn main() { boom!(); }\n",
}
