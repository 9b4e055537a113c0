package app

import (
	"errors"
	"fmt"
)

// Code classifies an Error so that callers (the window, the headless
// commands) can react without parsing messages.
type Code string

// Error codes used across the domain.
const (
	EInvalid      Code = "invalid"      // bad input: the user must correct it
	ENotFound     Code = "not_found"    // the named record does not exist
	EConflict     Code = "conflict"     // a rule refuses the change (duplicate, not empty, ...)
	EForbidden    Code = "forbidden"    // the acting account has no right to do this
	EUnauthorized Code = "unauthorized" // wrong account or password, or locked
	EMustChange   Code = "must_change"  // the account must change its initial password first
	EStore        Code = "store"        // the store file cannot be used (not SQLite, read-only, newer schema)
	EIO           Code = "io"           // another file cannot be read or written (no such folder, no permission, disk full)
	EUnavailable  Code = "unavailable"  // the school server cannot be reached now: nothing was written, try again later
	EInternal     Code = "internal"     // a defect or an unexpected failure
)

// Error is the one error type of the domain: a code and a Chinese sentence
// that tells the user what happened and what to do.
type Error struct {
	Code    Code
	Message string
	Err     error // the underlying cause, for logs; never shown to users
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and formatted Chinese message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an *Error that keeps err as its cause.
func Wrap(code Code, err error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: err}
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal for
// any other non-nil error and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// IsUnavailable reports whether err says that the school server could not
// be reached (EUnavailable): the operation did nothing and may be retried
// as it is.
func IsUnavailable(err error) bool { return ErrorCode(err) == EUnavailable }

// ErrorMessage returns the Chinese sentence to show a user for err.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "发生了意外错误，操作没有完成，数据未被修改。请重试；若仍失败，请把日志发给技术支持。"
}
