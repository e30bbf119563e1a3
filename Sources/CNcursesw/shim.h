// The C side of the monitor's terminal target: ncursesw with wide-character support, plus
// static inline wrappers for what does not import into Swift (macros, globals, variadic ioctl)
// and the crash-signal handler that restores the terminal.
//
// SwiftPM drops pkg-config's -D_XOPEN_SOURCE=600, so the wide-character API is enabled here.
#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

/// The standard screen (a global, which Swift 6 cannot read safely).
static inline WINDOW *cn_stdscr(void) { return stdscr; }
/// The physical screen curses believes is shown (for clearok after a resume).
static inline WINDOW *cn_curscr(void) { return curscr; }
/// Terminal rows and columns as curses knows them.
static inline int cn_lines(void) { return LINES; }
static inline int cn_cols(void) { return COLS; }
/// Colours and colour pairs the terminal supports (after start_color).
static inline int cn_colors(void) { return COLORS; }
static inline int cn_color_pairs(void) { return COLOR_PAIRS; }

/// Attribute bits.
static inline attr_t cn_a_normal(void) { return A_NORMAL; }
static inline attr_t cn_a_bold(void) { return A_BOLD; }
static inline attr_t cn_a_dim(void) { return A_DIM; }
static inline attr_t cn_a_reverse(void) { return A_REVERSE; }
static inline attr_t cn_a_underline(void) { return A_UNDERLINE; }

/// Key codes (octal macros).
static inline int cn_key_code_yes(void) { return KEY_CODE_YES; }
static inline int cn_key_resize(void) { return KEY_RESIZE; }
static inline int cn_key_up(void) { return KEY_UP; }
static inline int cn_key_down(void) { return KEY_DOWN; }
static inline int cn_key_left(void) { return KEY_LEFT; }
static inline int cn_key_right(void) { return KEY_RIGHT; }
static inline int cn_key_enter(void) { return KEY_ENTER; }
static inline int cn_key_backspace(void) { return KEY_BACKSPACE; }
static inline int cn_key_dc(void) { return KEY_DC; }
static inline int cn_key_btab(void) { return KEY_BTAB; }
static inline int cn_key_home(void) { return KEY_HOME; }
static inline int cn_key_end(void) { return KEY_END; }
static inline int cn_key_ppage(void) { return KEY_PPAGE; }
static inline int cn_key_npage(void) { return KEY_NPAGE; }

/// Writes one cell: up to 4 scalars (a base character and combining marks) with attributes and a pair.
static inline int cn_put_cell(int y, int x, const wchar_t *scalars, attr_t attrs, short pair) {
    cchar_t cell;
    if (setcchar(&cell, scalars, attrs, pair, NULL) == ERR) return ERR;
    return mvwadd_wch(stdscr, y, x, &cell);
}

/// Reads the size of the terminal on `fd` without initialising curses; 0 on success.
static inline int cn_terminal_size(int fd, int *rows, int *cols) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) != 0) return -1;
    *rows = size.ws_row;
    *cols = size.ws_col;
    return 0;
}

/// Crash signals (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP): restore the terminal, then die
/// of the same signal with its default action so the exit status and core dump stay truthful.
static void cn_on_crash_signal(int sig) {
    endwin();
    signal(sig, SIG_DFL);
    raise(sig);
}

/// Installs the crash-signal handler. Call once, right after initscr.
static inline void cn_install_crash_handlers(void) {
    int signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP };
    for (unsigned i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
        struct sigaction action;
        action.sa_handler = cn_on_crash_signal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESETHAND;
        sigaction(signals[i], &action, NULL);
    }
}

/// Puts the crash signals back to their default actions (after endwin on a normal exit).
static inline void cn_remove_crash_handlers(void) {
    int signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP };
    for (unsigned i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) signal(signals[i], SIG_DFL);
}

/// Whether the terminal loaded by setupterm can move the cursor and clear the screen (TERM=dumb
/// cannot: a full-screen program would draw nothing useful there).
static inline int cn_terminal_is_addressable(void) {
    char *cup = tigetstr("cup"), *clear = tigetstr("clear");
    return cup != NULL && cup != (char *)-1 && clear != NULL && clear != (char *)-1;
}

// Job control, the curses way but safe with threads: the handlers only set flags; the UI thread
// sees them, leaves curses mode (endwin restores the shell's terminal settings), stops itself with
// the default SIGTSTP action, and on SIGCONT re-enters curses mode and redraws everything. Only
// CursesTerminal.swift calls these (the flags are per translation unit).
static volatile sig_atomic_t cn_suspend_requested = 0;
static volatile sig_atomic_t cn_continued = 0;
static void cn_on_tstp(int sig) { (void)sig; cn_suspend_requested = 1; }
static void cn_on_cont(int sig) { (void)sig; cn_continued = 1; }

/// Replaces curses' own SIGTSTP handler (which draws from whatever thread the signal lands on) with
/// the flag-setting one, and notes SIGCONT. Call on the UI thread: it unblocks SIGTSTP, SIGCONT and
/// SIGWINCH there, since a thread started from a Swift concurrency or Dispatch thread inherits a mask
/// blocking them, and a signal every thread blocks is never handled (Ctrl-Z would do nothing).
static inline void cn_install_job_control_handlers(void) {
    sigset_t wanted;
    sigemptyset(&wanted);
    sigaddset(&wanted, SIGTSTP);
    sigaddset(&wanted, SIGCONT);
    sigaddset(&wanted, SIGWINCH);
    pthread_sigmask(SIG_UNBLOCK, &wanted, NULL);
    struct sigaction action;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: a wait for a key returns at once
    action.sa_handler = cn_on_tstp;
    sigaction(SIGTSTP, &action, NULL);
    action.sa_handler = cn_on_cont;
    sigaction(SIGCONT, &action, NULL);
}

/// Puts SIGTSTP and SIGCONT back to their default actions.
static inline void cn_remove_job_control_handlers(void) {
    signal(SIGTSTP, SIG_DFL);
    signal(SIGCONT, SIG_DFL);
}

/// 1 once after a SIGTSTP (Ctrl-Z) arrived, else 0 (an atomic exchange: a signal landing between a
/// read and a reset would otherwise be lost).
static inline int cn_take_suspend_request(void) {
    return __atomic_exchange_n(&cn_suspend_requested, 0, __ATOMIC_SEQ_CST);
}

/// 1 once after a SIGCONT arrived, else 0.
static inline int cn_take_continued(void) {
    return __atomic_exchange_n(&cn_continued, 0, __ATOMIC_SEQ_CST);
}

/// Stops the process as Ctrl-Z would have (call after endwin); returns once it is continued.
static inline void cn_stop_self(void) {
    struct sigaction standard, previous;
    sigemptyset(&standard.sa_mask);
    standard.sa_flags = 0;
    standard.sa_handler = SIG_DFL;
    sigaction(SIGTSTP, &standard, &previous);
    sigset_t tstp, mask;
    sigemptyset(&tstp);
    sigaddset(&tstp, SIGTSTP);
    pthread_sigmask(SIG_UNBLOCK, &tstp, &mask);
    // To this thread (raise is tgkill), not the process: a process-directed signal may be taken by
    // another thread after this one has put the handler back, and then it would not stop anything.
    // A stop signal stops every thread of the process, whichever thread takes it.
    raise(SIGTSTP);
    pthread_sigmask(SIG_SETMASK, &mask, NULL);
    sigaction(SIGTSTP, &previous, NULL);
}

#endif
