/* banned.h - turn unsafe libc calls into compile errors, as git does.
 * The build includes it first in every file (-include in AM_CPPFLAGS). */
#ifndef COVOPT_BANNED_H
#define COVOPT_BANNED_H

/*
 * Declare the banned functions before banning them: the headers that
 * declare them are guarded, so a later #include of them is a no-op and
 * never meets the macros below.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef gets
#define gets(x) BANNED(gets)
#undef localtime
#define localtime(t) BANNED(localtime)

#endif
