// rewardkit's testlib-compatible header for checkers and interactors (our own code, not
// testlib itself): the common subset of testlib's interface, with its conventions.
//
//   checker:     registerTestlibCmd(argc, argv);  // checker input output answer
//   interactor:  registerInteraction(argc, argv); // interactor input tout [answer]
//                (ouf reads the program's stdout from stdin; write to it on stdout)
//
// Streams inf (input), ouf (the program's output), ans (the answer) offer readInt,
// readLong, readDouble/readReal, readToken/readWord, readLine/readString, readChar,
// readSpace, readEoln, readEof, eof, seekEof, eoln, seekEoln. Verdicts: quit/quitf with
// _ok, _wa, _pe, _fail (exit statuses 0, 1, 2, 3), ensuref/ensure, doubleCompare.
// A malformed value read from ouf is _pe, from inf or ans _fail; a value out of the
// asked range from ouf is _wa. A checker that accepts while ouf has more tokens left
// reports "extra information" (_dirt, status 4).
#ifndef RK_TESTLIB_H
#define RK_TESTLIB_H

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

enum TResult { _ok = 0, _wa = 1, _pe = 2, _fail = 3, _dirt = 4, _points = 7,
               _unexpected_eof = 8 };

static bool rk_checker_mode = false;
static bool rk_quitting = false;

inline std::string rk_vformat(const char* fmt, va_list args) {
    va_list copy;
    va_copy(copy, args);
    int n = std::vsnprintf(nullptr, 0, fmt, copy);
    va_end(copy);
    std::string out(n > 0 ? n : 0, '\0');
    if (n > 0) std::vsnprintf(&out[0], n + 1, fmt, args);
    return out;
}

inline std::string format(const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    std::string out = rk_vformat(fmt, args);
    va_end(args);
    return out;
}

class InStream;
void quit(TResult result, const std::string& message);

class InStream {
public:
    InStream() : file_(nullptr), bad_(_fail), name_("stream") {}

    void init(FILE* file, TResult bad, const char* name) {
        file_ = file;
        bad_ = bad;
        name_ = name;
    }

    // testlib lets a stream report a verdict: ouf.quitf(_wa, ...)
    void quit(TResult result, const std::string& message) { ::quit(result, message); }
    void quitf(TResult result, const char* fmt, ...) {
        va_list args;
        va_start(args, fmt);
        std::string message = rk_vformat(fmt, args);
        va_end(args);
        ::quit(result, message);
    }

    int peek() {
        if (!file_) return EOF;
        int c = std::getc(file_);
        if (c != EOF) std::ungetc(c, file_);
        return c;
    }
    int next() { return file_ ? std::getc(file_) : EOF; }

    bool eof() { return peek() == EOF; }
    bool seekEof() {
        skipBlanks();
        return eof();
    }
    bool eoln() {
        int c = peek();
        return c == '\n' || c == '\r' || c == EOF;
    }
    bool seekEoln() {
        int c;
        while ((c = peek()) == ' ' || c == '\t') next();
        return eoln();
    }
    void skipBlanks() {
        int c;
        while ((c = peek()) != EOF && std::isspace(c)) next();
    }

    std::string readToken() {
        skipBlanks();
        std::string token;
        int c;
        while ((c = peek()) != EOF && !std::isspace(c)) token += static_cast<char>(next());
        if (token.empty()) fail_read("a token", "end of file");
        return token;
    }
    std::string readWord() { return readToken(); }
    std::string readToken(const std::string&, const std::string& = "") { return readToken(); }
    std::string readWord(const std::string&, const std::string& = "") { return readToken(); }

    long long readLong() {
        std::string token = readToken();
        errno = 0;
        char* end = nullptr;
        long long value = std::strtoll(token.c_str(), &end, 10);
        if (token.empty() || *end != '\0' || errno == ERANGE || token[0] == '+' ||
            (token.size() > 1 && token[0] == '0') || token == "-0" ||
            (token.size() > 2 && token[0] == '-' && token[1] == '0'))
            fail_read("an integer", token);
        return value;
    }
    long long readLong(long long lo, long long hi, const std::string& what = "") {
        long long value = readLong();
        if (value < lo || value > hi) out_of_range(std::to_string(value), what);
        return value;
    }
    int readInt() {
        long long value = readLong();
        if (value < INT_MIN || value > INT_MAX) fail_read("a 32-bit integer", std::to_string(value));
        return static_cast<int>(value);
    }
    int readInt(int lo, int hi, const std::string& what = "") {
        return static_cast<int>(readLong(lo, hi, what));
    }
    std::vector<int> readInts(int n, int lo = INT_MIN, int hi = INT_MAX) {
        std::vector<int> values(n);
        for (int& v : values) v = readInt(lo, hi);
        return values;
    }
    std::vector<long long> readLongs(int n, long long lo = LLONG_MIN, long long hi = LLONG_MAX) {
        std::vector<long long> values(n);
        for (long long& v : values) v = readLong(lo, hi);
        return values;
    }

    double readDouble() {
        std::string token = readToken();
        char* end = nullptr;
        double value = std::strtod(token.c_str(), &end);
        if (*end != '\0' || std::isnan(value) || std::isinf(value)) fail_read("a real number", token);
        return value;
    }
    double readDouble(double lo, double hi, const std::string& what = "") {
        double value = readDouble();
        if (value < lo || value > hi) out_of_range(token_of(value), what);
        return value;
    }
    double readReal() { return readDouble(); }
    double readReal(double lo, double hi, const std::string& what = "") {
        return readDouble(lo, hi, what);
    }

    char readChar() {
        int c = next();
        if (c == EOF) fail_read("a character", "end of file");
        return static_cast<char>(c);
    }
    char readChar(char expected) {
        char c = readChar();
        if (c != expected) fail_read(std::string("'") + expected + "'", std::string(1, c));
        return c;
    }
    void readSpace() { readChar(' '); }
    void readEoln() {
        int c = next();
        if (c == '\r' && peek() == '\n') c = next();
        if (c != '\n') fail_read("end of line", c == EOF ? "end of file" : std::string(1, c));
    }
    void readEof() {
        if (!eof()) fail_read("end of file", std::string(1, static_cast<char>(peek())));
    }

    std::string readLine() {
        if (eof()) fail_read("a line", "end of file");
        std::string line;
        int c;
        while ((c = next()) != EOF && c != '\n') line += static_cast<char>(c);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        return line;
    }
    std::string readString() { return readLine(); }
    std::string readLine(const std::string&, const std::string& = "") { return readLine(); }

private:
    static std::string token_of(double value) { return format("%.10g", value); }

    void fail_read(const std::string& expected, const std::string& found) {
        ::quit(found == "end of file" && bad_ == _pe ? _unexpected_eof : bad_,
               format("%s: expected %s, found '%s'", name_, expected.c_str(),
                      found.substr(0, 64).c_str()));
    }
    void out_of_range(const std::string& value, const std::string& what) {
        ::quit(bad_ == _pe ? _wa : _fail,
               format("%s: %s%s%s is out of range", name_, what.c_str(),
                      what.empty() ? "" : " = ", value.c_str()));
    }

    FILE* file_;
    TResult bad_;
    const char* name_;
};

InStream inf, ouf, ans;
std::ofstream tout;

inline void quit(TResult result, const std::string& text) {
    std::string message = text;
    if (!rk_quitting && rk_checker_mode && result == _ok) {
        rk_quitting = true;
        if (!ouf.seekEof()) {
            result = _dirt;
            message = "extra information in the output file";
        }
    }
    const char* name = result == _ok ? "ok" : result == _wa ? "wrong answer"
                     : result == _fail ? "FAIL" : result == _points ? "points"
                     : result == _unexpected_eof ? "unexpected end of file"
                     : "wrong output format";
    std::fprintf(stderr, "%s %s\n", name, message.c_str());
    std::fflush(stdout);
    std::exit(static_cast<int>(result));
}

inline void quit(TResult result, const char* message) { quit(result, std::string(message)); }

inline void quitf(TResult result, const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    std::string message = rk_vformat(fmt, args);
    va_end(args);
    quit(result, message);
}

inline void quitp(double points, const char* fmt = "", ...) {
    std::fprintf(stderr, "points %g %s\n", points, fmt);
    std::exit(_points);
}

inline void ensuref(bool condition, const char* fmt, ...) {
    if (condition) return;
    va_list args;
    va_start(args, fmt);
    std::string message = rk_vformat(fmt, args);
    va_end(args);
    quit(_fail, message);
}

#define ensure(cond) ensuref((cond), "%s", "ensure failed: " #cond)

inline bool doubleCompare(double expected, double result, double eps) {
    if (std::isnan(expected) || std::isnan(result)) return std::isnan(expected) && std::isnan(result);
    if (std::isinf(expected) || std::isinf(result)) return expected == result;
    double limit = eps * std::max(1.0, std::fabs(expected)) + 1e-15;
    return std::fabs(result - expected) <= limit;
}

inline bool compareTokens(const std::string& expected, const std::string& found) {
    return expected == found;
}

template <typename T>
std::string vtos(const T& value) {
    return std::to_string(value);
}
inline std::string vtos(const std::string& value) { return value; }

inline std::string englishEnding(int x) {
    x %= 100;
    if (x / 10 == 1) return "th";
    if (x % 10 == 1) return "st";
    if (x % 10 == 2) return "nd";
    if (x % 10 == 3) return "rd";
    return "th";
}

inline std::string upperCase(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}
inline std::string lowerCase(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

inline FILE* rk_open(const char* path) {
    FILE* file = std::fopen(path, "rb");
    if (!file) {
        std::fprintf(stderr, "FAIL cannot open %s\n", path);
        std::exit(_fail);
    }
    return file;
}

inline void registerTestlibCmd(int argc, char* argv[]) {
    if (argc < 4) {
        std::fprintf(stderr, "FAIL usage: %s input output answer\n", argv[0]);
        std::exit(_fail);
    }
    rk_checker_mode = true;
    inf.init(rk_open(argv[1]), _fail, "input");
    ouf.init(rk_open(argv[2]), _pe, "output");
    ans.init(rk_open(argv[3]), _fail, "answer");
}

inline void registerTestlib(int argc, ...) {
    (void)argc;
}

inline void registerInteraction(int argc, char* argv[]) {
    if (argc < 2) {
        std::fprintf(stderr, "FAIL usage: %s input [tout [answer]]\n", argv[0]);
        std::exit(_fail);
    }
    inf.init(rk_open(argv[1]), _fail, "input");
    ouf.init(stdin, _pe, "output");
    if (argc > 2) tout.open(argv[2]);
    if (argc > 3) ans.init(rk_open(argv[3]), _fail, "answer");
}

#endif  // RK_TESTLIB_H
