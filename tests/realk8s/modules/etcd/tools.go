//go:build tools

// Package tools pins go.etcd.io/etcd/server/v3, whose module root is etcd's main package.
package tools

import _ "go.etcd.io/etcd/server/v3/etcdmain"
