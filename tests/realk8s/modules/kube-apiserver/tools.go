//go:build tools

// Package tools pins k8s.io/kubernetes so that `go build k8s.io/kubernetes/cmd/kube-apiserver` resolves
// inside this wrapper module; the staging modules are replaced by their published versions in go.mod.
package tools

import _ "k8s.io/kubernetes/cmd/kube-apiserver/app"
