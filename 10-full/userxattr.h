/*
 * 10-full/userxattr.h - can a rootless data root hold overlayfs's marks?
 *
 * Read: xattr(7), Documentation/filesystems/overlayfs.rst ("userxattr")
 */
#ifndef USERXATTR_H
#define USERXATTR_H

/* Whether the filesystem of root (or of its nearest existing parent,
 * where root is still to be made) takes user.* extended attributes.
 * Returns 0 when it does, or when it cannot tell; -1, after one line that
 * says what to do, when it does not. Changes nothing. */
int userxattr_check_root(const char *root);

#endif
