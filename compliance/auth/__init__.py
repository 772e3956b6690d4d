"""Signing in: lockout, password hashing, CAS and LDAP single sign-on."""
