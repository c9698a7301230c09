/*
 * 05-user/user.h - a new user namespace: root inside, the caller outside.
 */
#ifndef USER_H
#define USER_H

#include "../04-mount/mount.h"

extern const struct lesson user_lesson;

#endif
