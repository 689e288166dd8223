package deploy

import (
	"context"
	"fmt"
	"hash/fnv"
	"sync"
	"time"
)

// Drift findings of a deployment.
const (
	DriftInSync  = "in_sync"
	DriftDrifted = "drifted"
)

// Outcomes of one deployment's drift check, as /cloud-drift words them.
const (
	DriftBusy   = "busy"
	DriftFailed = "failed"
)

// DriftRecord is what a finished check stores.
type DriftRecord struct {
	At        time.Time
	Addresses []string  // drifted addresses; none when in sync
	Failed    bool      // the check failed: the last finding stands
	NextDue   time.Time // the next scheduled check (zero: none)
}

// DriftReport is one deployment's line of /cloud-drift.
type DriftReport struct {
	DeploymentID string
	Outcome      string // DriftInSync, DriftDrifted, DriftBusy, DriftFailed
	Addresses    []string
	Error        string
}

// DriftPage is what /cloud-drift shows: up to a page of live deployments.
type DriftPage struct {
	Project *Project
	Reports []DriftReport
	Total   int
}

// DriftProject runs the checks of /cloud-drift before its deferral: the
// project and read on it.
func (s *Service) DriftProject(ctx context.Context, a Actor, projectID string) (*Project, error) {
	return s.project(ctx, a, projectID, LevelRead)
}

// CheckProjectDrift checks the newest live deployments of a project (a
// page of them) at once, within the terraform run limit.
func (s *Service) CheckProjectDrift(ctx context.Context, a Actor, p *Project) (*DriftPage, error) {
	ds, err := s.store.Deployments(ctx, a.GuildID, p.ID, true, PageSize)
	if err != nil {
		return nil, fmt.Errorf("live deployments of %s: %w", p.ID, err)
	}
	total, err := s.store.CountLiveDeployments(ctx, a.GuildID, p.ID)
	if err != nil {
		return nil, fmt.Errorf("live deployments of %s: %w", p.ID, err)
	}
	page := &DriftPage{Project: p, Total: max(total, len(ds))}
	page.Reports = make([]DriftReport, len(ds))
	var wg sync.WaitGroup
	for i, d := range ds {
		wg.Go(func() { page.Reports[i] = s.checkDrift(ctx, d, p, false) })
	}
	wg.Wait()
	return page, nil
}

// checkDrift runs one deployment's drift check: never while a session of
// it is open or another check holds it, as a run with a lease like any.
func (s *Service) checkDrift(ctx context.Context, d *Deployment, p *Project, scheduled bool) DriftReport {
	rep := DriftReport{DeploymentID: d.ID, Outcome: DriftBusy}
	if _, err := s.store.OpenChange(ctx, d.GuildID, d.ID); ErrorCode(err) != ENOTFOUND {
		return rep
	}
	now := s.now()
	claimed, err := s.store.ClaimDriftCheck(ctx, d.GuildID, d.ID, s.cfg.Instance, now, now.Add(s.cfg.PlanTimeout+s.cfg.LeaseTimeout), scheduled)
	if err != nil || !claimed {
		return rep
	}
	addrs, err := s.driftRun(ctx, d, p)
	rec := DriftRecord{At: s.now(), Addresses: addrs, Failed: err != nil}
	if s.cfg.DriftInterval > 0 {
		rec.NextDue = rec.At.Add(s.cfg.DriftInterval)
	}
	rep.Outcome, rep.Addresses = DriftInSync, addrs
	switch {
	case err != nil:
		rep.Outcome, rep.Error = DriftFailed, userText(err)
	case len(addrs) > 0:
		rep.Outcome = DriftDrifted
	}
	became, rerr := s.store.RecordDrift(context.WithoutCancel(ctx), d.GuildID, d.ID, rec)
	if rerr != nil {
		s.log.Error("drift finding not recorded", "deployment", d.ID, "err", rerr)
	}
	if became {
		if err := s.rep.Drifted(context.WithoutCancel(ctx), d, addrs); err != nil {
			s.log.Warn("drift not announced", "deployment", d.ID, "err", err)
		}
	}
	return rep
}

// driftRun plans the deployment's recorded configuration under a run
// lease (so it counts against nothing but is seen by recovery and cancel),
// in a working directory of its own that is removed afterwards.
func (s *Service) driftRun(ctx context.Context, d *Deployment, p *Project) ([]string, error) {
	if err := s.allowAccount(p.Provider, p.Account); err != nil {
		return nil, err
	}
	ar, err := s.beginRun(ctx, &Session{GuildID: d.GuildID, ID: d.ID}, OpDrift, s.cfg.PlanTimeout)
	if err != nil {
		return nil, err
	}
	defer s.recoverRun(ctx, &Session{GuildID: d.GuildID, ID: d.ID}, p, ar, "")
	work := driftWorkID(d.ID)
	addrs, err := s.tf.Drift(ar.ctx, PlanRequest{GuildID: d.GuildID, SessionID: work, StateKey: d.ID,
		Provider: d.Provider, Region: d.Region, Account: p.Account, Resources: d.Resources})
	result, cause := outcome(ar.ctx, err)
	summary := fmt.Sprintf("%d drifted", len(addrs))
	s.finishRun(ctx, ar, result, summary, "")
	if err := s.tf.Cleanup(context.WithoutCancel(ctx), d.GuildID, work); err != nil {
		s.log.Warn("drift working files not removed", "deployment", d.ID, "err", err)
	}
	return addrs, cause
}

// driftWorkID names a drift check's working directory, apart from every
// session's.
func driftWorkID(deployment string) string { return "drift-" + deployment }

// DriftSweep starts the scheduled checks that are due. A deployment never
// scheduled gets a first due time spread over the interval by its id, so
// that a fleet is not checked all at once.
func (s *Service) DriftSweep(ctx context.Context) {
	if s.cfg.DriftInterval <= 0 {
		return
	}
	now := s.now()
	ds, err := s.store.DueDriftChecks(ctx, now, 100)
	if err != nil {
		s.log.Error("drift sweep failed", "err", err)
		return
	}
	projects := map[string]*Project{}
	for _, d := range ds {
		if d.DriftDueAt.IsZero() {
			if err := s.store.ScheduleDrift(ctx, d.GuildID, d.ID, now.Add(spread(d.ID, s.cfg.DriftInterval))); err != nil {
				s.log.Warn("drift check not scheduled", "deployment", d.ID, "err", err)
			}
			continue
		}
		key := d.GuildID + "/" + d.ProjectID
		p, ok := projects[key]
		if !ok {
			if p, err = s.store.GetProject(ctx, d.GuildID, d.ProjectID); err != nil {
				s.log.Warn("drift check skipped: project unreadable", "deployment", d.ID, "err", err)
				continue
			}
			projects[key] = p
		}
		s.launch(ctx, "drift "+d.ID, func(jctx context.Context) { s.checkDrift(jctx, d, p, true) })
	}
}

// spread is a deployment's stable offset within the interval.
func spread(id string, interval time.Duration) time.Duration {
	h := fnv.New64a()
	_, _ = h.Write([]byte(id))
	return time.Duration(h.Sum64() % uint64(interval))
}

// DriftLoop runs the scheduled drift checks until ctx ends; with no
// DRIFT_INTERVAL it returns at once. It looks for due checks ten times per
// interval (at most every minute, at least every second), so each is
// started close to its time.
func (s *Service) DriftLoop(ctx context.Context) {
	if s.cfg.DriftInterval <= 0 {
		return
	}
	t := time.NewTicker(min(max(s.cfg.DriftInterval/10, time.Second), time.Minute))
	defer t.Stop()
	for {
		s.DriftSweep(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
