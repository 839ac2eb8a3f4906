// lint-as: libs/common/src/probe.ts
import { UsersService } from '../../../src/users/users.service';

export const probe = UsersService;
