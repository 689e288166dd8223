// Command terraform-provider-cetest is a tiny real terraform provider for
// Cloud Engine's tests: its one resource, cetest_file, is a file on the
// local disk, so that tests exercise real provider installation offline and
// can make drift (edit or delete the file), slow applies (delay) and
// failures (fail) on purpose. It lives under testdata, in a module of its
// own, so that the provider framework stays out of the engine's go.mod.
package main

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
)

// address is where terraform finds the provider: registry.terraform.io is
// the default host of the source "cloudengine/cetest".
const address = "registry.terraform.io/cloudengine/cetest"

func main() {
	err := providerserver.Serve(context.Background(), newProvider, providerserver.ServeOpts{Address: address})
	if err != nil {
		log.Fatal(err)
	}
}
