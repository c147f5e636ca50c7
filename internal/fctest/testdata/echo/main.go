// Command echo is a tiny FC function that the fctest tests drive through the
// real SDK: it echoes its event and reports what the runtime told it.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/aliyun/fc-runtime-go-sdk/fc"
	"github.com/aliyun/fc-runtime-go-sdk/fccontext"
)

// reply is what a successful invocation returns.
type reply struct {
	Event           string `json:"event"`
	RequestID       string `json:"requestId"`
	AccessKeyID     string `json:"accessKeyId"`
	AccessKeySecret string `json:"accessKeySecret"`
	SecurityToken   string `json:"securityToken"`
	Region          string `json:"region"`
	AccountID       string `json:"accountId"`
	FunctionName    string `json:"functionName"`
	TimeoutSeconds  int    `json:"timeoutSeconds"`
	RetryCount      int    `json:"retryCount"`
	DeadlineInMS    int64  `json:"deadlineInMs"` // time left on ctx at entry
	EnvAccessKeyID  string `json:"envAccessKeyId"`
}

// echoError gives the "error" marker a distinctive FC errorType.
type echoError struct{ msg string }

func (e *echoError) Error() string { return e.msg }

func handle(ctx context.Context, event []byte) (reply, error) {
	switch string(event) {
	case "error":
		return reply{}, &echoError{msg: "echo: asked to fail"}
	case "panic":
		panic("echo: asked to panic")
	case "sleep":
		<-ctx.Done()
		return reply{}, ctx.Err()
	}
	fcc, ok := fccontext.FromContext(ctx)
	if !ok {
		return reply{}, errors.New("echo: no fccontext")
	}
	deadline, _ := ctx.Deadline()
	return reply{
		Event:           string(event),
		RequestID:       fcc.RequestID,
		AccessKeyID:     fcc.Credentials.AccessKeyId,
		AccessKeySecret: fcc.Credentials.AccessKeySecret,
		SecurityToken:   fcc.Credentials.SecurityToken,
		Region:          fcc.Region,
		AccountID:       fcc.AccountId,
		FunctionName:    fcc.Function.Name,
		TimeoutSeconds:  fcc.Function.Timeout,
		RetryCount:      fcc.RetryCount,
		DeadlineInMS:    time.Until(deadline).Milliseconds(),
		EnvAccessKeyID:  os.Getenv("ALIBABA_CLOUD_ACCESS_KEY_ID"),
	}, nil
}

func main() {
	// Stands in for a function that rejects its configuration at cold start.
	if os.Getenv("ECHO_FAIL_FAST") != "" {
		fmt.Fprintln(os.Stderr, "echo: bad config, exiting")
		os.Exit(3)
	}
	fc.RegisterInitializerFunction(func(ctx context.Context) {
		fmt.Println("echo: initialized")
	})
	fc.Start(handle)
}
