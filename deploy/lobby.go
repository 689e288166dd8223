package deploy

import "context"

// showLobby renders the lobby; a failure is logged, because the state in
// the store is what counts and the next edit will show it.
func (s *Service) showLobby(ctx context.Context, sess *Session, p *Project, v LobbyView) {
	if p == nil {
		var err error
		if p, err = s.store.GetProject(ctx, sess.GuildID, sess.ProjectID); err != nil {
			s.log.Error("lobby not updated: project unreadable", "session", sess.ID, "err", err)
			return
		}
	}
	v.Session, v.Project, v.Types = sess, p, s.tf.ResourceTypes()
	id, err := s.rep.Lobby(ctx, v)
	if err != nil {
		s.log.Warn("lobby not updated", "session", sess.ID, "state", sess.State, "err", err)
		return
	}
	if id != "" && sess.LobbyMessageID == "" {
		s.rememberLobby(ctx, sess, id)
	}
}

// rememberLobby stores the lobby's message id so that the bot token can
// edit it once the interaction token has expired.
func (s *Service) rememberLobby(ctx context.Context, sess *Session, id string) {
	if err := s.store.SetLobbyMessage(ctx, sess.GuildID, sess.ID, id); err != nil {
		s.log.Error("lobby id not stored", "session", sess.ID, "err", err)
		return
	}
	sess.LobbyMessageID = id
}
