package main

import (
	"testing"

	"github.com/ssbtek/gateway/internal/maintest"
)

func TestMain(m *testing.M) { maintest.Run(m, main) }

func TestHelpPrintsUsageAndExitsZero(t *testing.T) { maintest.CheckHelp(t, "ssbtekd", "grpc-addr") }
