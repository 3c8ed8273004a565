// Package kubernetes holds the kustomize base (base/) and the production
// overlay (production/) of ssbtek-gateway; its test renders them with
// kustomize's Go API and checks what issue 20 asks of them.
package kubernetes
