package playground

// Member is someone the page can act as.
type Member struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Username    string `json:"username"`
	Role        string `json:"role"`        // what the page says about them
	Permissions string `json:"permissions"` // Discord's permission bit set, as a string
	Color       string `json:"color"`       // avatar colour
}

// Discord permission bit sets the members hold.
const (
	permAdministrator = "8"          // ADMINISTRATOR
	permUseCommands   = "2147483648" // USE_APPLICATION_COMMANDS
)

// Members are an administrator and two members, enough to try
// permissions and approvals.
func Members() []Member {
	return []Member{
		{ID: "1300000000000000011", Name: "Ada", Username: "ada", Role: "Administrator", Permissions: permAdministrator, Color: "#ed4245"},
		{ID: "1300000000000000012", Name: "Alice", Username: "alice", Role: "Member", Permissions: permUseCommands, Color: "#5865f2"},
		{ID: "1300000000000000013", Name: "Bob", Username: "bob", Role: "Member", Permissions: permUseCommands, Color: "#57f287"},
	}
}

func memberByID(id string) (Member, bool) {
	for _, m := range Members() {
		if m.ID == id {
			return m, true
		}
	}
	return Member{}, false
}
