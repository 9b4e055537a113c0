package app

// SweepStepwise and SweepSetWise make the service's sweeps take one path of
// the default approvals (R-T4), so that a test can hold them to the same
// result.
func (s *Service) SweepStepwise() { s.sweepPath = sweepStepwise }

func (s *Service) SweepSetWise() { s.sweepPath = sweepSetWise }
