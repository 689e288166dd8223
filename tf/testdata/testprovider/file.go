package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// fileResource is cetest_file: the file directory/name holding content.
type fileResource struct{}

var _ resource.Resource = fileResource{}

func newFileResource() resource.Resource { return fileResource{} }

type fileModel struct {
	ID        types.String `tfsdk:"id"`
	Directory types.String `tfsdk:"directory"`
	Name      types.String `tfsdk:"name"`
	Content   types.String `tfsdk:"content"`
	Delay     types.String `tfsdk:"delay"`
	Fail      types.String `tfsdk:"fail"`
}

func (m fileModel) path() string {
	return filepath.Join(m.Directory.ValueString(), m.Name.ValueString())
}

func (fileResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_file"
}

func (fileResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		Description: "A file on the local disk.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, Description: "The file's path.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
			"directory": schema.StringAttribute{Required: true, PlanModifiers: replace,
				Description: "An existing directory the file is written in."},
			"name":    schema.StringAttribute{Required: true, PlanModifiers: replace, Description: "The file's name."},
			"content": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString("")},
			"delay": schema.StringAttribute{Optional: true,
				Description: "A Go duration each create, update and delete waits first (a slow apply)."},
			"fail": schema.StringAttribute{Optional: true,
				Description: "When set, create and update fail with this message (a failing apply)."},
		},
	}
}

func (fileResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m fileModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := write(ctx, m); err != nil {
		resp.Diagnostics.AddError("Cannot create the file", err.Error())
		return
	}
	m.ID = types.StringValue(m.path())
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

// Read reports the file gone when it was removed, and its content when it
// was changed outside terraform (drift).
func (fileResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m fileModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	data, err := os.ReadFile(m.path())
	if errors.Is(err, fs.ErrNotExist) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the file", err.Error())
		return
	}
	m.Content = types.StringValue(string(data))
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

func (fileResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m fileModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := write(ctx, m); err != nil {
		resp.Diagnostics.AddError("Cannot update the file", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

func (fileResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m fileModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := wait(ctx, m.Delay); err != nil {
		resp.Diagnostics.AddError("Interrupted", err.Error())
		return
	}
	if err := os.Remove(m.path()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		resp.Diagnostics.AddError("Cannot delete the file", err.Error())
	}
}

func (fileResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}

// write waits for the delay, fails when asked to, then writes the file.
func write(ctx context.Context, m fileModel) error {
	if err := wait(ctx, m.Delay); err != nil {
		return err
	}
	if msg := m.Fail.ValueString(); msg != "" {
		return errors.New(msg)
	}
	return os.WriteFile(m.path(), []byte(m.Content.ValueString()), 0o600)
}

// wait sleeps for delay unless terraform interrupts the provider first.
func wait(ctx context.Context, delay types.String) error {
	if delay.IsNull() || delay.ValueString() == "" {
		return nil
	}
	d, err := time.ParseDuration(delay.ValueString())
	if err != nil {
		return fmt.Errorf("delay: %w", err)
	}
	select {
	case <-time.After(d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
