package main

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// cetestProvider has no configuration: everything a file needs is in the
// resource.
type cetestProvider struct{}

var _ provider.Provider = cetestProvider{}

func newProvider() provider.Provider { return cetestProvider{} }

func (cetestProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "cetest"
}

func (cetestProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{Description: "Files on the local disk, for tests."}
}

func (cetestProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (cetestProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{newFileResource}
}

func (cetestProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }
